/// How long the owner spent on each request, by op: the buckets of a
/// Prometheus histogram (cumulative when written), their sum and count.
struct RequestDurations: Sendable {
    /// Upper bounds of the buckets, seconds (`+Inf` is implied).
    static let bounds: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    struct Histogram: Sendable {
        /// Observations per bucket (not cumulative), one more for `+Inf`.
        var buckets = [Int](repeating: 0, count: RequestDurations.bounds.count + 1)
        var sum = 0.0
        var count = 0
    }

    /// By op name (a bounded set: the contract's op names).
    private(set) var byOp: [String: Histogram] = [:]

    /// Records one request of `op` that took `seconds`.
    mutating func record(op: String, seconds: Double) {
        let bucket = Self.bounds.firstIndex { seconds <= $0 } ?? Self.bounds.count
        byOp[op, default: Histogram()].buckets[bucket] += 1
        byOp[op, default: Histogram()].sum += seconds
        byOp[op, default: Histogram()].count += 1
    }
}
