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
    public internal(set) var orders: [Order] = []
    /// Changes since the last `drainChanges()`.
    public internal(set) var changes = ChangeSet()

    var orderIndex: [String: Int32] = [:]
    var customers: [String: CustomerRecord] = [:]
    var depots: [String: DepotState] = [:]
    var queuedCount = 0
    var committedCount = 0
    var deliveredCount = 0

    struct CustomerRecord: Sendable {
        var tier: String
        var queued = 0
        var committed = 0
        var delivered = 0
        var complaints = 0
        var orders = 0
        /// The finish tag of the customer's last order, per depot.
        var lastFinish: [(depot: String, tag: Double)] = []

        func lastFinish(in depot: String) -> Double {
            lastFinish.first { $0.depot == depot }?.tag ?? -.infinity
        }

        mutating func setLastFinish(_ tag: Double, in depot: String) {
            if let i = lastFinish.firstIndex(where: { $0.depot == depot }) {
                lastFinish[i].tag = max(lastFinish[i].tag, tag)
            } else {
                lastFinish.append((depot, tag))
            }
        }
    }

    /// What the store gives back on start: enough to rebuild the state.
    public struct Restored: Sendable {
        /// Every stored order, in seq order (seq 1, 2, 3, ...).
        public var orders: [Order]
        /// Each customer's current tier.
        public var customerTiers: [String: String]
        /// Each depot's virtual time.
        public var virtualTimes: [String: Double]

        public init(orders: [Order], customerTiers: [String: String], virtualTimes: [String: Double]) {
            self.orders = orders
            self.customerTiers = customerTiers
            self.virtualTimes = virtualTimes
        }
    }

    /// A fresh, empty scheduler.
    public init(config: FairwayConfig, now: Timestamp) {
        self.config = config
        for d in config.depots {
            depots[d.name] = DepotState(name: d.name, slotLength: d.slotLength, capacity: d.capacity)
        }
        roll(now)
    }

    /// Rebuilds the state from what the store kept, then rolls the horizon to
    /// `now` (which may commit orders: drain the changes afterwards).
    public init(config: FairwayConfig, restoring restored: Restored, now: Timestamp) throws(FairwayError) {
        self.config = config
        for d in config.depots {
            var state = DepotState(name: d.name, slotLength: d.slotLength, capacity: d.capacity)
            state.virtualTime = restored.virtualTimes[d.name] ?? 0
            depots[d.name] = state
        }
        for (id, tier) in restored.customerTiers { customers[id] = CustomerRecord(tier: tier) }
        orders = restored.orders
        orderIndex.reserveCapacity(orders.count)
        var queuedKeys: [String: [QueueKey]] = [:]
        for i in orders.indices {
            let o = orders[i]
            guard o.seq == Int64(i) + 1 else {
                throw FairwayError(.internal, "stored orders are not numbered 1, 2, 3, ...: found seq \(o.seq) at place \(i + 1)")
            }
            let idx = Int32(i)
            orderIndex[o.orderID] = idx
            if customers[o.customerID] == nil { customers[o.customerID] = CustomerRecord(tier: o.tier) }
            customers[o.customerID]!.orders += 1
            customers[o.customerID]!.complaints += Int(o.complaints)
            customers[o.customerID]!.setLastFinish(o.tag, in: o.depot)
            guard o.state.isOpen || o.state == .delivered || o.state == .failed else { continue }
            if o.state.isOpen || o.slotStart != nil {
                guard depots[o.depot] != nil else {
                    if !o.state.isOpen { continue }
                    throw FairwayError(
                        .invalidArgument,
                        "depot '\(o.depot)' is not in the config but order \(o.orderID) waits for it; put the depot back")
                }
            }
            switch o.state {
            case .queued:
                queuedKeys[o.depot, default: []].append(QueueKey(o, index: idx))
                depots[o.depot]!.queuedUnits += Int(o.units)
                customers[o.customerID]!.queued += 1
                queuedCount += 1
            case .committed, .delivered, .failed:
                if let start = o.slotStart, depots[o.depot] != nil {
                    let slot = depots[o.depot]!.slotIndex(ofSeconds: start)
                    depots[o.depot]!.book[slot, default: SlotBook()].used += Int(o.units)
                    depots[o.depot]!.book[slot, default: SlotBook()].orders.append(idx)
                    depots[o.depot]!.maxBooked = max(depots[o.depot]!.maxBooked, slot)
                }
                if o.state == .committed {
                    customers[o.customerID]!.committed += 1
                    committedCount += 1
                } else if o.state == .delivered {
                    customers[o.customerID]!.delivered += 1
                    deliveredCount += 1
                }
            case .cancelled:
                break
            }
        }
        for (name, keys) in queuedKeys { depots[name]!.queue = FairQueue(keys: keys) }
        if let problem = reloadProblem(config) { throw FairwayError(.invalidArgument, problem) }
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
        orderIndex[orderID].map { orders[Int($0)] }
    }

    /// Number of customers with at least one stored order.
    public var customerCount: Int { customers.values.lazy.filter { $0.orders > 0 }.count }

    /// Moves every depot's horizon to `now`: when the clock has entered a new
    /// slot, the newly bookable slots are filled from the head of the queue.
    /// Cheap when nothing rolled; call it often (the daemon does, every 250 ms).
    public mutating func tick(now: Timestamp) { roll(now) }

    mutating func roll(_ now: Timestamp) {
        for name in depots.keys.sorted() {
            let d = depots[name]!
            let bookable = d.slotIndex(ofSeconds: now.seconds) + Int64(config.leadSlots)
            if bookable > d.bookable {
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
        var room: [Int] = []
        for s in start..<end { room.append(depots[name]!.committedRoom(s)) }
        var total = room.reduce(0, +)
        guard total > 0 else { return }
        var commits: [(QueueKey, Int64)] = []
        func visit(_ key: QueueKey) -> Bool {
            let units = Int(key.units)
            if units <= total {
                var s = start
                if key.hasNotBefore, let nb = orders[Int(key.index)].notBefore {
                    s = max(s, DepotState.firstSlot(notBefore: nb, slotLength: slotLength))
                }
                while s < end {
                    let r = Int(s - start)
                    if room[r] >= units {
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

    private mutating func commit(_ key: QueueKey, slot: Int64, depot name: String, now: Timestamp, actor: String) {
        let i = Int(key.index)
        if let rank = depots[name]!.queue.rank(of: key) { truncateProjection(name, fromRank: rank) }
        depots[name]!.queue.remove(key)
        let length = depots[name]!.slotLength
        orders[i].state = .committed
        orders[i].slotStart = slot * length
        orders[i].slotLength = length
        let units = Int(orders[i].units)
        depots[name]!.queuedUnits -= units
        depots[name]!.book[slot, default: SlotBook()].used += units
        depots[name]!.book[slot, default: SlotBook()].orders.append(key.index)
        depots[name]!.maxBooked = max(depots[name]!.maxBooked, slot)
        if key.tag > depots[name]!.virtualTime {
            depots[name]!.virtualTime = key.tag
            changes.depots.insert(name)
        }
        let c = orders[i].customerID
        customers[c]!.queued -= 1
        customers[c]!.committed += 1
        queuedCount -= 1
        committedCount += 1
        changes.updatedOrders.insert(key.index)
        changes.events.append(
            Event(
                kind: .committed, at: now, actor: actor, orderID: orders[i].orderID, customerID: c, depot: name,
                slotStart: slot * length,
                message: "order \(orders[i].orderID) promised for the slot starting \(Timestamp(seconds: slot * length))"))
    }

    /// Forgets a depot's projection; it is recomputed when next asked for.
    mutating func invalidateProjection(_ name: String) {
        depots[name]?.projection = Projection()
    }

    /// Takes a queued order out of its depot's queue (served or cancelled).
    mutating func dequeue(_ index: Int32, served: Bool) {
        let o = orders[Int(index)]
        let key = QueueKey(tag: o.tag, index: index)
        if let rank = depots[o.depot]!.queue.rank(of: key) { truncateProjection(o.depot, fromRank: rank) }
        depots[o.depot]!.queue.remove(key)
        depots[o.depot]!.queuedUnits -= Int(o.units)
        if served && o.tag > depots[o.depot]!.virtualTime {
            depots[o.depot]!.virtualTime = o.tag
            changes.depots.insert(o.depot)
        }
        customers[o.customerID]!.queued -= 1
        queuedCount -= 1
    }

    /// The virtual time of a depot (for tests and status).
    public func virtualTime(depot: String) -> Double? { depots[depot]?.virtualTime }
}

extension Scheduler {
    /// The tier stored for a customer.
    public func customerTier(_ customerID: String) -> String? { customers[customerID]?.tier }
}
