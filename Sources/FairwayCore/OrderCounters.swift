/// The order counts that metrics show, by depot and tier, kept up to date
/// from each drained `ChangeSet` instead of counted again on every scrape.
///
/// `received` and `closed` only grow (counters); `queued` and `committed`
/// are the orders now in that state (gauges). Built once from the restored
/// state (`init(_:)`), then moved by `update(_:changes:)` after each commit.
public struct OrderCounters: Sendable, Equatable {
    /// A depot and a tier, by name.
    public struct Key: Hashable, Sendable, Comparable {
        public var depot: String
        public var tier: String
        public init(depot: String, tier: String) {
            self.depot = depot
            self.tier = tier
        }
        public static func < (a: Key, b: Key) -> Bool { (a.depot, a.tier) < (b.depot, b.tier) }
    }

    /// The counts of one depot and tier.
    public struct Counts: Sendable, Equatable {
        public var received = 0
        public var queued = 0
        public var committed = 0
        /// Closed orders by outcome: `on_time`, `late`, `failed`, `cancelled`.
        public var closed: [String: Int] = [:]
        public var complaints = 0
        public init() {}
    }

    /// Counts by depot and tier ids (`depot << 16 | tier` in the order table's name tables).
    private var counts: [UInt32: Counts] = [:]
    /// Promises moved and expedites by depot name, counted from events since start.
    public private(set) var promisesMoved: [String: Int] = [:]
    public private(set) var expedites: [String: Int] = [:]
    /// The state each order was last counted in (`OrderState` index + 1; 0: not yet).
    private var counted: [UInt8] = []

    /// Counts every order of `scheduler`.
    public init(_ scheduler: Scheduler) {
        update(scheduler, indexes: 0..<Int32(scheduler.orders.count))
        for i in 0..<scheduler.orders.count {
            let r = scheduler.orders[i]
            if r.complaints > 0 { counts[key(scheduler, Int32(i)), default: Counts()].complaints += Int(r.complaints) }
        }
    }

    /// Moves the counts by what `changes` (just drained from `scheduler`) did.
    public mutating func update(_ scheduler: Scheduler, changes: ChangeSet) {
        update(scheduler, indexes: changes.newOrders)
        update(scheduler, indexes: changes.updatedOrders)
        for c in changes.complaints {
            counts[key(scheduler, Int32(c.orderSeq - 1)), default: Counts()].complaints += 1
        }
        for e in changes.events {
            guard let depot = e.depot else { continue }
            switch e.kind.rawValue {
            case "promise_moved": promisesMoved[depot, default: 0] += 1
            case "expedited": expedites[depot, default: 0] += 1
            default: break
            }
        }
    }

    /// The counts by depot and tier name, sorted.
    public func named(_ scheduler: Scheduler) -> [(key: Key, counts: Counts)] {
        counts.map { (k, c) in
            (Key(depot: scheduler.orders.depotNames[k >> 16], tier: scheduler.orders.tierNames[k & 0xFFFF]), c)
        }.sorted { $0.key < $1.key }
    }

    private mutating func update(_ scheduler: Scheduler, indexes: some Sequence<Int32>) {
        if counted.count < scheduler.orders.count {
            counted.append(contentsOf: repeatElement(0, count: scheduler.orders.count - counted.count))
        }
        for i in indexes {
            let r = scheduler.orders[Int(i)]
            let before = counted[Int(i)]
            let after = UInt8(OrderState.allCases.firstIndex(of: r.state)! + 1)
            guard before != after else { continue }
            counted[Int(i)] = after
            let k = key(scheduler, i)
            var c = counts[k] ?? Counts()
            if before == 0 { c.received += 1 }
            if before != 0 { c.adjust(OrderState.allCases[Int(before) - 1], by: -1) }
            c.adjust(r.state, by: 1)
            if !r.state.isOpen, before == 0 || OrderState.allCases[Int(before) - 1].isOpen {
                c.closed[Self.outcome(scheduler, i), default: 0] += 1
            }
            counts[k] = c
        }
    }

    /// How a closed order ended against its promise.
    static func outcome(_ scheduler: Scheduler, _ i: Int32) -> String {
        let r = scheduler.orders[Int(i)]
        switch r.state {
        case .failed: return "failed"
        case .cancelled: return "cancelled"
        default:
            guard let start = scheduler.orders.firstPromise(i), r.closedAtMs != OrderRecord.none else { return "on_time" }
            return r.closedAtMs <= (start + scheduler.orders.slotLength(i)) * 1000 ? "on_time" : "late"
        }
    }

    private func key(_ scheduler: Scheduler, _ i: Int32) -> UInt32 {
        let r = scheduler.orders[Int(i)]
        return UInt32(r.depot) << 16 | UInt32(r.tier)
    }
}

extension OrderCounters.Counts {
    mutating func adjust(_ state: OrderState, by n: Int) {
        switch state {
        case .queued: queued += n
        case .committed: committed += n
        case .delivered, .failed, .cancelled: break
        }
    }
}

/// What metrics show of one depot now.
public struct DepotGauges: Sendable, Equatable {
    public var depot: String
    /// Units of queued orders.
    public var queueUnits: Int
    /// Committed units in the commit horizon's slots.
    public var horizonUsedUnits: Int
    /// Capacity of the commit horizon's slots.
    public var horizonCapacityUnits: Int
    public var virtualTime: Double
}

extension Scheduler {
    /// Each configured depot's gauges, in config order; cheap (the horizon's slots only).
    public func depotGauges() -> [DepotGauges] {
        config.depots.compactMap { cfg in
            guard let d = depots[cfg.name] else { return nil }
            let slots = d.bookable..<horizonEnd(d)
            return DepotGauges(
                depot: d.name, queueUnits: d.queuedUnits,
                horizonUsedUnits: slots.reduce(0) { $0 + (d.book[$1]?.used ?? 0) },
                horizonCapacityUnits: slots.count * d.capacity, virtualTime: d.virtualTime)
        }
    }
}
