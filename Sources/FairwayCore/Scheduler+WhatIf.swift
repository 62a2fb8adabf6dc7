/// A queued order whose projected slot a change would make (or made) later.
public struct DisplacedOrder: Sendable, Equatable {
    public var orderID: String
    /// Start of its projected slot before the change, in seconds.
    public var fromSlot: Int64
    /// Start of its projected slot after it.
    public var toSlot: Int64

    public init(orderID: String, fromSlot: Int64, toSlot: Int64) {
        self.orderID = orderID
        self.fromSlot = fromSlot
        self.toSlot = toSlot
    }
}

/// What a change did to the queued orders of one tier: the new orders of the
/// tier by state, and the already queued ones it pushed later.
public struct TierEffect: Sendable, Equatable {
    public var tier: String
    /// New orders of the tier that were committed.
    public var committed = 0
    /// New orders of the tier that were queued.
    public var queued = 0
    /// Already queued orders of the tier pushed later.
    public var displaced = 0
    /// Their delays added up, in seconds.
    public var delayTotal: Int64 = 0
    /// The longest of them, in seconds.
    public var delayMax: Int64 = 0

    public init(tier: String) { self.tier = tier }

    var isEmpty: Bool { committed == 0 && queued == 0 && displaced == 0 }
}

/// The queued orders a change pushed later: the first `limit` in service
/// order (depot by depot, in config order), how many in all, and by tier.
public struct Displacement: Sendable, Equatable {
    /// Most orders listed.
    public static let limit = 1000

    public var orders: [DisplacedOrder] = []
    /// How many in all (also beyond the list).
    public var count = 0
    /// Per tier, in config order; tiers left out when nothing applies.
    public var byTier: [TierEffect] = []
    /// Every one of them (by index in the order table), also beyond the list.
    var indexes: [Int32] = []

    public init() {}
}

/// The answer to `submit` with `dry_run`: what a real submit made now would
/// answer, and whom it would push later.
public struct SubmitWhatIf: Sendable, Equatable {
    public var results: [SubmitResult]
    public var displacement: Displacement
}

extension Scheduler {
    /// What `submit` would answer now, and which already queued orders it
    /// would push to a later projected slot, without changing anything.
    ///
    /// Not a second planner: the real `submit` runs on a copy of the state,
    /// which is then thrown away. The copy shares all storage with `self`
    /// until the submit writes; what it writes is copied then (the order
    /// table's arrays, the customers, the queue chunks and projection parts
    /// it touches). Place the live projections first
    /// (`extendProjections(budget: .max)`), or the copy places them and the
    /// work is lost with it. `pause` is as for `submit` (it gets the copy).
    public func whatIfSubmit(
        _ submissions: [OrderSubmission], now: Timestamp, actor: String,
        pause: (borrowing Scheduler) -> Void = { _ in }
    ) throws(FairwayError) -> SubmitWhatIf {
        var fork = self
        // The real submit rolls the horizon first; do it before taking the
        // "before" picture, so the picture is of the same moment.
        fork.roll(now)
        for name in fork.depots.keys { fork.project(name, through: Int.max) }
        let before = (depots: fork.depots, orderCount: fork.orders.count)
        let results = try fork.submit(submissions, now: now, actor: actor, pause: pause)
        let firstNew = Int32(before.orderCount)
        return SubmitWhatIf(results: results, displacement: fork.displacement(since: before.depots, isNew: { $0 >= firstNew }, results: results))
    }

    /// The queued orders of `before` (each depot's state before a change)
    /// whose projected slot is later in `self`, `self` being the state after
    /// the change. Orders for which `isNew` holds (orders the change added,
    /// or the one it moved) are not compared; every other order queued
    /// before must still be queued, in the same relative order. `results`
    /// (of a submit) count the new orders by tier. Each depot is compared
    /// from the first rank where an `isNew` order is, or was, queued:
    /// ahead of it, first fit placed the same orders the same way.
    mutating func displacement(since before: [String: DepotState], isNew: (Int32) -> Bool, results: [SubmitResult]) -> Displacement {
        var tierIndex: [UInt16: Int] = [:]
        var effects: [TierEffect] = config.tiers.map { TierEffect(tier: $0.name) }
        func effect(_ tierID: UInt16) -> Int {
            if let known = tierIndex[tierID] { return known }
            let name = orders.tierNames[UInt32(tierID)]
            guard let i = effects.firstIndex(where: { $0.tier == name }) else {
                effects.append(TierEffect(tier: name))
                tierIndex[tierID] = effects.count - 1
                return effects.count - 1
            }
            tierIndex[tierID] = i
            return i
        }
        for r in results where !r.duplicate {
            guard let i = orders.index(of: r.orderID) else { continue }
            let e = effect(orders[Int(i)].tier)
            if r.state == .committed { effects[e].committed += 1 } else { effects[e].queued += 1 }
        }
        var d = Displacement()
        for cfg in config.depots {
            let name = cfg.name
            guard let old = before[name], old.queue.count > 0, depots[name] != nil else { continue }
            func firstChanged(_ queue: FairQueue) -> Int? {
                var rank = 0
                var found: Int?
                queue.forEach { key in
                    if isNew(key.index) { found = rank }
                    rank += 1
                    return found == nil
                }
                return found
            }
            guard let start = [firstChanged(old.queue), firstChanged(depots[name]!.queue)].compactMap({ $0 }).min() else { continue }
            project(name, through: Int.max)
            let after = depots[name]!
            let length = after.slotLength
            var was: [(index: Int32, slot: Int64)] = []
            was.reserveCapacity(old.queue.count - start)
            var rank = start
            old.queue.forEachRun(from: start, limit: old.queue.count - start) { run in
                for key in run {
                    if !isNew(key.index) { was.append((key.index, old.projection.slot(ofRank: rank))) }
                    rank += 1
                }
            }
            var k = 0
            rank = start
            after.queue.forEachRun(from: start, limit: after.queue.count - start) { run in
                for key in run {
                    defer { rank += 1 }
                    guard !isNew(key.index), k < was.count else { continue }
                    let (index, from) = was[k]
                    k += 1
                    assert(index == key.index, "queued orders changed their relative order")
                    let to = after.projection.slot(ofRank: rank)
                    guard to > from else { continue }
                    d.count += 1
                    d.indexes.append(index)
                    if d.orders.count < Displacement.limit {
                        d.orders.append(DisplacedOrder(orderID: orders.orderID(index), fromSlot: from * length, toSlot: to * length))
                    }
                    let e = effect(orders[Int(index)].tier)
                    let delay = (to - from) * length
                    effects[e].displaced += 1
                    effects[e].delayTotal += delay
                    effects[e].delayMax = max(effects[e].delayMax, delay)
                }
            }
        }
        d.byTier = effects.filter { !$0.isEmpty }
        return d
    }
}
