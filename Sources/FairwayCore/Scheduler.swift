/// The whole scheduling state of Fairway and every change to it.
///
/// A value type with one owner: the daemon's state writer. Every operation
/// takes the time as a parameter (`now`); nothing here reads a clock or does
/// I/O, so the same inputs always give the same schedule. Changes accumulate
/// in `changes` until the owner drains them into the store.
///
/// Service order is self-clocked fair queueing (SCFQ) per depot: an order's
/// finish tag is `max(V, F_last(customer)) + units / weight`, where `V` is the
/// depot's virtual time (the tag of the last order served) and `F_last` the
/// customer's previous tag in that depot. See docs/scheduling.md.
public struct Scheduler: Sendable {
    /// The config in force.
    public internal(set) var config: FairwayConfig
    /// Every order ever accepted; index = seq - 1.
    public internal(set) var orders = OrderTable()
    /// Changes since the last `drainChanges()`.
    public internal(set) var changes = ChangeSet()
    /// The service order: `fair` in the daemon; a replay may choose another.
    public internal(set) var policy: ServicePolicy = .fair

    /// Per customer, by id in `orders.customerNames`.
    var customers: [CustomerRecord] = []
    var depots: [String: DepotState] = [:]
    var queuedCount = 0
    var committedCount = 0
    var deliveredCount = 0
    var failedCount = 0
    var cancelledCount = 0
    /// The time of the last `roll`: what `overdue` is judged against.
    var clock = Timestamp(milliseconds: 0)
    /// What `publishedOrder(_:)` answers from.
    var published = PublishedView()
    /// The expedite ledger, oldest first (see `expedite`).
    var expedites: [ExpediteRecord] = []
    /// The finish tags of queued expedited orders (their queue key is an
    /// expedite key meanwhile), by order index: given back when they leave
    /// the queue, so the stored tag and the one in memory agree.
    var finishTags: [Int32: Double] = [:]
    /// Planning steps done so far (see `PlanningWork`).
    public internal(set) var planningWork = PlanningWork()

    /// A fresh, empty scheduler; `policy` other than `fair` only for a
    /// replay (the daemon's service order is `fair`).
    public init(config: FairwayConfig, now: Timestamp, policy: ServicePolicy = .fair) {
        self.config = config
        self.policy = policy
        for d in config.depots {
            orders.setUsualSlotLength(depot: d.name, d.slotLength)
            depots[d.name] = DepotState(name: d.name, slotLength: d.slotLength, capacity: d.capacity)
        }
        roll(now)
    }

    /// Hands the accumulated changes to the caller and forgets them.
    public mutating func drainChanges() -> ChangeSet {
        let c = changes
        changes = ChangeSet()
        return c
    }

    /// The order with that id, if it was ever accepted.
    public func storedOrder(_ orderID: String) -> Order? {
        orders.index(of: orderID).map { orders.order(at: $0) }
    }

    /// Number of customers with at least one stored order.
    public var customerCount: Int { customers.lazy.filter { $0.orders > 0 }.count }

    /// Moves every depot's horizon to `now`: when the clock has entered a new
    /// slot, the newly bookable slots are filled from the head of the queue.
    /// Cheap when nothing rolled; call it often (the daemon does, every 250 ms).
    public mutating func tick(now: Timestamp) { roll(now) }

    mutating func roll(_ now: Timestamp) {
        clock = now
        for name in depots.keys.sorted() {
            let d = depots[name]!
            let bookable = d.slotIndex(ofSeconds: now.seconds) + Int64(config.leadSlots)
            if bookable > d.bookable {
                publishedViewChanged()  // its projections start at the old horizon
                depots[name]!.bookable = bookable
                invalidateProjection(name)
                fillHorizon(name, candidates: nil, now: now, actor: "scheduler")
            }
        }
    }

    /// Commits queued orders into the horizon's free room, first fit in service
    /// order. `candidates` limits the scan to those keys (new arrivals: room
    /// only shrinks between full scans, so older queued orders cannot fit).
    mutating func fillHorizon(_ name: String, candidates: [QueueKey]?, now: Timestamp, actor: String) {
        guard config.commitHorizon > 0, depots[name] != nil else { return }
        let start = depots[name]!.bookable
        let end = start + Int64(config.commitHorizon)
        let slotLength = depots[name]!.slotLength
        let pins = depots[name]!.pins
        var room: [Int] = []
        for s in start..<end { room.append(depots[name]!.committedRoom(s)) }
        var total = room.reduce(0, +)
        guard total > 0 else { return }
        // Budget left for expedited orders (the head of the queue) in each slot.
        var budget: [Int] = []
        if candidates == nil, let head = depots[name]!.queue.keys(from: 0, limit: 1).first, isExpediteKey(head.tag) {
            let committed = committedExpeditedUnits(depots[name]!, from: start)
            for s in start..<end { budget.append(expediteBudget(depots[name]!, slot: s) - committed[s, default: 0]) }
        }
        let usualCapacity = depots[name]!.capacity
        var commits: [(QueueKey, Int64)] = []
        var visits = 0
        defer { planningWork.horizonVisits += visits }
        func visit(_ key: QueueKey) -> Bool {
            visits += 1
            let units = Int(key.units)
            if units <= total {
                let binds = !budget.isEmpty && isExpediteKey(key.tag) && budgetBinds(units: units, usualCapacity: usualCapacity)
                var s = key.hasNotBefore ? earliestSlot(key.index, from: start, slotLength: slotLength, pins: pins) : start
                while s < end {
                    let r = Int(s - start)
                    if room[r] >= units && (!binds || budget[r] >= units) {
                        if binds { budget[r] -= units }
                        room[r] -= units
                        total -= units
                        commits.append((key, s))
                        break
                    }
                    s += 1
                }
            }
            return total > 0
        }
        if let candidates {
            for key in candidates where !visit(key) { break }
        } else {
            let queue = depots[name]!.queue
            queue.forEach(visit)
        }
        guard !commits.isEmpty else { return }
        for (key, slot) in commits { commit(key, slot: slot, depot: name, now: now, actor: actor) }
    }

    mutating func commit(_ key: QueueKey, slot: Int64, depot name: String, now: Timestamp, actor: String) {
        let i = Int(key.index)
        if let rank = depots[name]!.queue.rank(of: key) { truncateProjection(name, fromRank: rank) }
        depots[name]!.queue.remove(key)
        publishedKeyDequeued(key, depot: name)
        if !depots[name]!.pins.isEmpty { depots[name]!.pins[key.index] = nil }
        leaveExpediteKey(key.index)
        let length = depots[name]!.slotLength
        orders[i].state = .committed
        orders[i].slotStart = slot * length
        orders.setSlotLength(key.index, length)
        let units = Int(orders[i].units)
        depots[name]!.queuedUnits -= units
        depots[name]!.book[slot, default: SlotBook()].used += units
        depots[name]!.book[slot, default: SlotBook()].orders.append(key.index)
        depots[name]!.maxBooked = max(depots[name]!.maxBooked, slot)
        if key.tag > depots[name]!.virtualTime {
            depots[name]!.virtualTime = key.tag
            changes.depots.insert(name)
        }
        let c = Int(orders[i].customer)
        customers[c].queued -= 1
        customers[c].committed += 1
        queuedCount -= 1
        committedCount += 1
        changes.updatedOrders.insert(key.index)
        let orderID = orders.orderID(key.index)
        changes.events.append(
            Event(
                kind: .committed, at: now, actor: actor, orderID: orderID, customerID: orders.customerID(key.index),
                depot: name, slotStart: slot * length,
                message: "order \(orderID) promised for the slot starting \(Timestamp(seconds: slot * length))"))
    }

    /// Gives an expedited order leaving the queue its finish tag back.
    mutating func leaveExpediteKey(_ index: Int32) {
        guard !finishTags.isEmpty, let tag = finishTags.removeValue(forKey: index) else { return }
        orders[Int(index)].tag = tag
    }

    /// The first slot from `s` a queued order may take: not before its
    /// `not_before`, nor before the slot an expedite gave it (`pins`).
    func earliestSlot(_ index: Int32, from s: Int64, slotLength: Int64, pins: [Int32: Int64]) -> Int64 {
        var s = s
        if let nb = orders[Int(index)].notBefore { s = max(s, DepotState.firstSlot(notBefore: nb, slotLength: slotLength)) }
        if let pin = pins[index] { s = max(s, pin) }
        return s
    }

    /// Forgets a depot's projection; it is recomputed when next asked for.
    mutating func invalidateProjection(_ name: String) {
        depots[name]?.projection.reset()
    }

    /// Takes a queued order out of its depot's queue (served or cancelled).
    mutating func dequeue(_ index: Int32, served: Bool) {
        let o = orders[Int(index)]
        let depot = orders.depotName(index)
        let key = QueueKey(o, index: index)
        if let rank = depots[depot]!.queue.rank(of: key) { truncateProjection(depot, fromRank: rank) }
        depots[depot]!.queue.remove(key)
        publishedKeyDequeued(key, depot: depot)
        if !depots[depot]!.pins.isEmpty { depots[depot]!.pins[index] = nil }
        leaveExpediteKey(index)
        depots[depot]!.queuedUnits -= Int(o.units)
        if served && o.tag > depots[depot]!.virtualTime {
            depots[depot]!.virtualTime = o.tag
            changes.depots.insert(depot)
        }
        customers[Int(o.customer)].queued -= 1
        queuedCount -= 1
    }

    /// The virtual time of a depot (for tests and status).
    public func virtualTime(depot: String) -> Double? { depots[depot]?.virtualTime }
}

extension Scheduler {
    /// The tier stored for a customer.
    public func customerTier(_ customerID: String) -> String? {
        orders.customerNames.id(of: customerID).map { orders.tierNames[UInt32(customers[Int($0)].tier)] }
    }
}
