// Percentiles and min / median / max summaries of measurements.

/// Order statistics of a sample.
enum Stats {
    /// The nearest-rank percentile `p` (0...100) of `values`; 0 when empty.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The median (lower middle for an even count, so it is a measured value).
    static func median(_ values: [Double]) -> Double { percentile(values, 50) }
}

/// One figure over repeated runs: its smallest, middle and largest value.
struct Summary: Sendable {
    var min: Double
    var median: Double
    var max: Double
    /// How many runs it summarizes.
    var runs: Int

    init(_ values: [Double]) {
        precondition(!values.isEmpty, "a summary needs at least one value")
        min = values.min()!
        max = values.max()!
        median = Stats.median(values)
        runs = values.count
    }
}

/// Latencies of one run: the median and 99th percentile, in seconds.
struct LatencyRun: Sendable {
    var p50: Double
    var p99: Double
    var count: Int

    init(_ samples: [Double]) {
        p50 = Stats.percentile(samples, 50)
        p99 = Stats.percentile(samples, 99)
        count = samples.count
    }
}
