/// A point of a time series: seconds since the epoch and a value.
public struct TimePoint: Sendable, Equatable {
    public var time: Int64
    public var value: Double
}

/// What the scenario charts plot, computed from a replay's outcomes.
public enum ChartSeries {
    /// Units cleared and not yet delivered (an order leaves the backlog when
    /// its slot starts), sampled every `step` seconds from the replay's start
    /// to `end`.
    public static func backlog(_ result: ReplayResult, step: Int64, end: Int64) -> [TimePoint] {
        // A sweep over +units at clearance and -units at the delivery slot's start.
        var changes: [(time: Int64, units: Int)] = []
        changes.reserveCapacity(result.outcomes.count * 2)
        for o in result.outcomes {
            changes.append((o.clearedAt.seconds, o.units))
            if let s = o.slotStart { changes.append((s, -o.units)) }
        }
        changes.sort { $0.time < $1.time }
        var points: [TimePoint] = []
        var level = 0
        var next = 0
        var t = result.start.seconds
        while t <= end {
            while next < changes.count && changes[next].time <= t {
                level += changes[next].units
                next += 1
            }
            points.append(TimePoint(time: t, value: Double(level)))
            t += step
        }
        return points
    }

    /// Units delivered over capacity, all depots, per `bucket` seconds (by
    /// slot start), from the replay's start to `end`.
    public static func slotUse(_ result: ReplayResult, bucket: Int64, end: Int64) -> [TimePoint] {
        let start = result.start.seconds - result.start.seconds % bucket
        let count = Int(max(0, (end - start) / bucket + 1))
        var used = [Int](repeating: 0, count: count)
        var capacity = [Int](repeating: 0, count: count)
        for slot in result.slots {
            let k = Int((slot.start - start) / bucket)
            guard k >= 0 && k < count else { continue }
            used[k] += slot.used
            capacity[k] += slot.capacity
        }
        return (0..<count).compactMap { k in
            capacity[k] > 0 ? TimePoint(time: start + Int64(k) * bucket, value: Double(used[k]) / Double(capacity[k])) : nil
        }
    }

    /// The five numbers of a box plot of `values` (which must not be empty):
    /// 5th, 25th, 50th, 75th and 95th percentiles (nearest rank).
    public static func boxStatistics(_ values: [Int]) -> [Int] {
        let sorted = values.sorted()
        return [0.05, 0.25, 0.5, 0.75, 0.95].map { PolicyReport.percentile(sorted, $0) }
    }

    /// Waits in slots of the placed orders, per tier.
    public static func waitsByTier(_ result: ReplayResult) -> [String: [Int]] {
        var waits: [String: [Int]] = [:]
        for o in result.outcomes { if let w = o.waitSlots { waits[o.tier, default: []].append(w) } }
        return waits
    }

    /// The last slot end of any replay: where the charts' time axis ends.
    public static func end(of results: [ReplayResult]) -> Int64 {
        results.flatMap(\.outcomes).compactMap { o in o.slotStart.map { $0 + o.slotLength } }.max()
            ?? results.map(\.start.seconds).max() ?? 0
    }
}
