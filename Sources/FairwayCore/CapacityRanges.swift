/// A change of a depot's capacity for a range of slots, as an operator
/// asked for it: what the store keeps and replays on start, in order.
public struct CapacityChange: Sendable, Equatable {
    public var depot: String
    /// Slots whose start is in `[from, to)`.
    public var from: Timestamp
    public var to: Timestamp
    /// Units per slot; nil restores the config's capacity there.
    public var capacity: Int?
    public var reason: String?
    /// When it was made, and by whom.
    public var at: Timestamp
    public var actor: String

    public init(depot: String, from: Timestamp, to: Timestamp, capacity: Int?, reason: String?, at: Timestamp, actor: String) {
        self.depot = depot
        self.from = from
        self.to = to
        self.capacity = capacity
        self.reason = reason
        self.at = at
        self.actor = actor
    }
}

/// Slots `[from, to)` (indexes) of one depot that hold `capacity` units
/// instead of the config's value.
struct CapacityRange: Sendable, Equatable {
    var from: Int64
    var to: Int64
    var capacity: Int
    var reason: String
}

/// The capacity changes in force for one depot: sorted, disjoint ranges of
/// slots. A slot no range covers has the config's capacity.
struct CapacityRanges: Sendable, Equatable {
    private(set) var ranges: [CapacityRange] = []

    var isEmpty: Bool { ranges.isEmpty }

    /// The range covering slot `s`, if any (binary search).
    func range(covering s: Int64) -> CapacityRange? {
        var lo = 0
        var hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].to <= s { lo = mid + 1 } else { hi = mid }
        }
        return lo < ranges.count && ranges[lo].from <= s ? ranges[lo] : nil
    }

    /// The capacity of slot `s`, given the config's value.
    @inline(__always)
    func capacity(ofSlot s: Int64, default value: Int) -> Int {
        ranges.isEmpty ? value : range(covering: s)?.capacity ?? value
    }

    /// Whether some range ends after slot `s` (so a slot at or after it
    /// may differ from the config's capacity).
    func reaches(beyond s: Int64) -> Bool { (ranges.last?.to ?? .min) > s }

    /// The end of the last range (`Int64.min` when there is none).
    var end: Int64 { ranges.last?.to ?? .min }

    /// Sets slots `[from, to)` to `capacity` (with its reason), or back to
    /// the config's value when `capacity` is nil.
    mutating func set(from: Int64, to: Int64, capacity: Int?, reason: String) {
        var next: [CapacityRange] = []
        next.reserveCapacity(ranges.count + 2)
        for r in ranges {
            if r.to <= from || r.from >= to {
                next.append(r)
                continue
            }
            if r.from < from { next.append(CapacityRange(from: r.from, to: from, capacity: r.capacity, reason: r.reason)) }
            if r.to > to { next.append(CapacityRange(from: to, to: r.to, capacity: r.capacity, reason: r.reason)) }
        }
        if let capacity { next.append(CapacityRange(from: from, to: to, capacity: capacity, reason: reason)) }
        next.sort { $0.from < $1.from }
        ranges = next
    }

    /// Whether both give every slot of `[from, to)` the same capacity and reason.
    func sameOver(from: Int64, to: Int64, as other: CapacityRanges) -> Bool {
        var s = from
        while s < to {
            let a = range(covering: s)
            let b = other.range(covering: s)
            guard a?.capacity == b?.capacity && a?.reason == b?.reason else { return false }
            // Both stay the same up to the nearest range edge.
            s = min(to, Self.nextEdge(after: s, a), Self.nextEdge(after: s, b), nextStart(after: s), other.nextStart(after: s))
        }
        return true
    }

    private static func nextEdge(after s: Int64, _ r: CapacityRange?) -> Int64 { r?.to ?? .max }

    /// The start of the first range that begins after slot `s`.
    private func nextStart(after s: Int64) -> Int64 { ranges.first { $0.from > s }?.from ?? .max }
}
