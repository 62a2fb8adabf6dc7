/// One use of the expedite authority, as the ledger keeps it.
public struct ExpediteRecord: Sendable, Equatable {
    public var orderID: String
    public var depot: String
    /// Who expedited it (the peer's uid and name).
    public var actor: String
    public var at: Timestamp
    /// Why (required).
    public var reason: String
    /// Start (seconds) of the slot the order took.
    public var slotStart: Int64
    /// Whether it was committed to that slot at once (inside the horizon).
    public var committed: Bool
    /// How many queued orders it pushed to a later projected slot.
    public var displacedCount: Int

    public init(
        orderID: String, depot: String, actor: String, at: Timestamp, reason: String, slotStart: Int64, committed: Bool,
        displacedCount: Int
    ) {
        self.orderID = orderID
        self.depot = depot
        self.actor = actor
        self.at = at
        self.reason = reason
        self.slotStart = slotStart
        self.committed = committed
        self.displacedCount = displacedCount
    }
}

/// What `expedite` answers.
public struct ExpediteAnswer: Sendable, Equatable {
    /// The order after the expedite.
    public var order: OrderView
    /// The queued orders it pushed later.
    public var displacement: Displacement
    /// The ledger entry (also for a dry run: what would be kept).
    public var record: ExpediteRecord
    /// The slot's expedite budget in units, and the expedited units in it after the expedite.
    public var budgetUnits: Int
    public var budgetUsed: Int
    /// Capacity of the slot it took.
    public var slotCapacity: Int
}

extension Scheduler {
    /// Queue keys of expedited orders are `expediteBase + n` for the n-th
    /// expedite: below every finish tag (which are ≥ 0), in the order the
    /// expedites were made, exact for 2^53 of them.
    static let expediteBase = -9_007_199_254_740_992.0  // -2^53

    /// The expedite budget of a slot in units: `expedite-budget` percent of
    /// its capacity, rounded down, at least 1 when the budget is above 0.
    func expediteBudget(_ d: DepotState, slot s: Int64) -> Int {
        expediteBudget(capacity: d.capacity(ofSlot: s))
    }

    /// The expedite budget in units of a slot of `capacity` units.
    func expediteBudget(capacity: Int) -> Int {
        let percent = config.expediteBudget
        guard percent > 0 else { return 0 }
        return max(1, capacity * percent / 100)
    }

    /// Whether the budget binds where an expedited order of `units` units is
    /// placed (projected, committed by the horizon, or moved by a capacity
    /// change): unless a reload set `expedite-budget` to 0 or the order is
    /// larger than the budget of a slot at the depot's configured capacity
    /// (it got its slot from a raised capacity), it takes only a slot with
    /// budget left. Such an order is placed by room alone.
    func budgetBinds(units: Int, usualCapacity: Int) -> Bool {
        config.expediteBudget > 0 && units <= expediteBudget(capacity: usualCapacity)
    }

    /// Whether a queue key's tag is an expedite key: below -2^52 (the first
    /// 2^52 expedites). Finish tags are ≥ 0; the simulator's other policies'
    /// keys are negative (`-rank · 2^33 + cleared`) but above -2^52 for any
    /// rank below 2^19.
    func isExpediteKey(_ tag: Double) -> Bool { tag < Self.expediteBase / 2 }

    /// Units of committed (or delivered) expedited orders in each slot of a
    /// depot from `first` on.
    func committedExpeditedUnits(_ d: DepotState, from first: Int64) -> [Int64: Int] {
        var units: [Int64: Int] = [:]
        for (s, book) in d.book where s >= first {
            for i in book.orders where orders[Int(i)].expedited { units[s, default: 0] += Int(orders[Int(i)].units) }
        }
        return units
    }

    /// Keys a queued order (not in its queue meanwhile) at the head of its
    /// depot's queue by its ledger entry `n` (from 0): expedited orders are
    /// served in the order of their expedites. Its finish tag is kept for
    /// when it leaves the queue.
    mutating func takeExpediteKey(_ i: Int32, ledgerPlace n: Int) {
        if finishTags[i] == nil { finishTags[i] = orders[Int(i)].tag }
        orders[Int(i)].tag = Self.expediteBase + Double(n + 1)
        orders[Int(i)].expedited = true
    }

    /// The place in the ledger of an order's last expedite, and the slot index it gave.
    func lastExpedite(of i: Int32) -> (place: Int, slot: Int64)? {
        let id = orders.orderID(i)
        guard let n = expedites.lastIndex(where: { $0.orderID == id }) else { return nil }
        let d = depots[orders.depotName(i)]!
        return (n, d.slotIndex(ofSeconds: expedites[n].slotStart))
    }

    /// Units of expedited orders in each slot of a depot from the first
    /// bookable one (earlier slots take no order): committed ones from the book, queued ones where they are
    /// projected (the head of the queue). Projects the queue's head.
    mutating func expeditedUnits(_ name: String) -> [Int64: Int] {
        var units = committedExpeditedUnits(depots[name]!, from: depots[name]!.bookable)
        var rank = 0
        while let key = depots[name]!.queue.keys(from: rank, limit: 1).first, isExpediteKey(key.tag) {
            let s = projectedSlot(name, rank: rank)
            units[s, default: 0] += Int(key.units)
            rank += 1
        }
        return units
    }

    /// The earliest slot an expedited order of `units` units may take in a
    /// depot: from the first bookable one (or its `not_before`), the first
    /// with room beside the committed orders and the expedited ones ahead of
    /// it, and budget left; nil when none comes before `limit`.
    mutating func expediteSlot(_ name: String, units u: Int, notBefore: Timestamp?, before limit: Int64) -> Int64? {
        let expedited = expeditedUnits(name)
        let d = depots[name]!
        let horizon = horizonEnd(d)
        let committed = committedExpeditedUnits(d, from: horizon)
        var s = d.bookable
        if let notBefore { s = max(s, d.firstSlot(notBefore: notBefore)) }
        while s < limit {
            var room = d.capacity(ofSlot: s) - (d.book[s]?.used ?? 0)
            // Beyond the horizon, queued expedited orders are projected first.
            if s >= horizon { room -= expedited[s, default: 0] - committed[s, default: 0] }
            if room >= u && expedited[s, default: 0] + u <= expediteBudget(d, slot: s) { return s }
            s += 1
        }
        return nil
    }

    /// What `expedite` would answer now, without changing anything: the
    /// real `expedite` on a copy of the state, thrown away (see
    /// `whatIfSubmit`).
    public func whatIfExpedite(orderID: String, reason: String, now: Timestamp, actor: String) throws(FairwayError) -> ExpediteAnswer {
        var fork = self
        return try fork.expedite(orderID: orderID, reason: reason, now: now, actor: actor)
    }

    /// The ledger's entries whose time is in `[from, to)`, oldest first.
    public func expediteLedger(from: Timestamp?, to: Timestamp?) -> [ExpediteRecord] {
        expedites.filter { e in from.map { e.at >= $0 } ?? true && to.map { e.at < $0 } ?? true }
    }

    /// Moves a queued order to the head of its depot's service order (behind
    /// the orders expedited before it) into the earliest slot, from the first
    /// bookable one, with room beside the committed orders and expedite
    /// budget left; inside the commit horizon it is committed at once. No
    /// committed order moves. Each queued order whose projected slot becomes
    /// later counts one more `displaced`. `over_budget` (nothing changes)
    /// when no slot before its projected one has room and budget.
    public mutating func expedite(orderID: String, reason: String, now: Timestamp, actor: String) throws(FairwayError) -> ExpediteAnswer {
        guard !reason.isEmpty, reason.count <= Self.maxTextLength else {
            throw .invalid("reason: must be 1..\(Self.maxTextLength) characters")
        }
        guard let i = orders.index(of: orderID) else { throw .notFound("no order with order_id '\(orderID)'") }
        let state = orders[Int(i)].state
        guard state == .queued else {
            throw .conflict("order '\(orderID)' is \(state.rawValue); expedite takes a queued order (a committed order never moves)")
        }
        roll(now)
        guard orders[Int(i)].state == .queued else {
            throw .conflict("order '\(orderID)' was just committed by the clock; expedite takes a queued order")
        }
        let name = orders.depotName(i)
        let length = depots[name]!.slotLength
        let oldKey = QueueKey(orders[Int(i)], index: i)
        let rank = depots[name]!.queue.rank(of: oldKey)!
        let current = projectedSlot(name, rank: rank)
        let u = Int(orders[Int(i)].units)
        guard let slot = expediteSlot(name, units: u, notBefore: orders[Int(i)].notBefore, before: current) else {
            let percent = config.expediteBudget
            throw FairwayError(
                .overBudget,
                "no slot of depot '\(name)' before \(Timestamp(seconds: current * length)) (where order '\(orderID)' is projected) "
                    + "has room for its \(u) units and expedite budget left (expedite-budget = \(percent)% of a slot's capacity)")
        }
        project(name, through: Int.max)
        let before = depots
        publishedViewChanged()
        truncateProjection(name, fromRank: 0)
        depots[name]!.queue.remove(oldKey)
        takeExpediteKey(i, ledgerPlace: expedites.count)
        depots[name]!.pins[i] = slot
        let key = QueueKey(orders[Int(i)], index: i)
        depots[name]!.queue.insert(key)
        let committed = slot < horizonEnd(depots[name]!)
        if committed { commit(key, slot: slot, depot: name, now: now, actor: actor) }
        changes.updatedOrders.insert(i)
        let displacement = displacement(since: before, isNew: { $0 == i }, results: [])
        for d in displacement.indexes {
            orders.updateExtra(d) { $0.displaced += 1 }
            changes.updatedOrders.insert(d)
        }
        let record = ExpediteRecord(
            orderID: orderID, depot: name, actor: actor, at: now, reason: reason, slotStart: slot * length,
            committed: committed, displacedCount: displacement.count)
        expedites.append(record)
        changes.expedites.append(record)
        let o = orders.order(at: i)
        changes.events.append(Event(
            kind: .expedited, at: now, actor: actor, orderID: orderID, customerID: o.customerID, depot: name,
            slotStart: slot * length,
            message: "order \(orderID) expedited to the slot starting \(Timestamp(seconds: slot * length))"
                + (committed ? " (promised)" : "") + ", \(displacement.count) waiting orders pushed later: \(reason)"))
        let expedited = expeditedUnits(name)[slot, default: 0]
        return ExpediteAnswer(
            order: orderView(i), displacement: displacement, record: record,
            budgetUnits: expediteBudget(depots[name]!, slot: slot), budgetUsed: expedited,
            slotCapacity: depots[name]!.capacity(ofSlot: slot))
    }
}
