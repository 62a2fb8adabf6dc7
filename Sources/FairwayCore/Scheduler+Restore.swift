extension Scheduler {
    /// What the store gives back on start: enough to rebuild the state. The
    /// store appends orders in seq order; they go straight into the compact
    /// table the scheduler will keep.
    public struct Restored: Sendable {
        /// Every stored order, in seq order (seq 1, 2, 3, ...).
        public internal(set) var orders = OrderTable()
        /// Each depot's virtual time.
        public var virtualTimes: [String: Double] = [:]
        /// The stored capacity changes, oldest first (replayed in order).
        public var capacityChanges: [CapacityChange] = []
        /// The expedite ledger, oldest first.
        public var expedites: [ExpediteRecord] = []
        /// Stored tiers: tier id by customer id (ids of `orders`' name tables).
        var customerTiers: [UInt32: UInt16] = [:]
        /// The first order whose seq did not match its place, if any.
        var misnumbered: (seq: Int64, place: Int)?

        /// Nothing restored yet.
        public init() {}

        /// Orders (in seq order), each customer's current tier and each
        /// depot's virtual time.
        public init(
            orders: some Sequence<Order>, customerTiers: [String: String], virtualTimes: [String: Double],
            capacityChanges: [CapacityChange] = []
        ) {
            for o in orders { append(o) }
            for (customer, tier) in customerTiers.sorted(by: { $0.key < $1.key }) { setTier(tier, customer: customer) }
            self.virtualTimes = virtualTimes
            self.capacityChanges = capacityChanges
        }

        /// Makes room for `count` more orders whose ids and notes take about `textBytes` bytes.
        public mutating func reserveCapacity(orders count: Int, textBytes: Int) {
            orders.reserveCapacity(count, textBytes: textBytes)
        }

        /// Adds the next stored order (its `seq` must be the number of orders so far + 1).
        public mutating func append(_ order: Order) {
            if misnumbered == nil && order.seq != Int64(orders.count) + 1 {
                misnumbered = (order.seq, orders.count + 1)
            }
            orders.append(order)
        }

        /// Records a customer's current tier.
        public mutating func setTier(_ tier: String, customer: String) {
            let id = orders.customerNames.intern(customer)
            let tierID = orders.tierNames.intern(tier)
            precondition(tierID < UInt16.max, "more than 65,535 tier names")
            customerTiers[id] = UInt16(tierID)
        }
    }

    /// Rebuilds the state from what the store kept, then rolls the horizon to
    /// `now` (which may commit orders: drain the changes afterwards).
    ///
    /// One pass over the orders, with no string hashing: customers and depots
    /// are found by their ids in the order table. The restored orders move
    /// into the scheduler (pass `restored` on, don't keep it: a copy kept
    /// elsewhere makes the first change copy the whole table).
    public init(config: FairwayConfig, restoring restored: consuming Restored, now: Timestamp) throws(FairwayError) {
        self.config = config
        if let (seq, place) = restored.misnumbered {
            throw FairwayError(.internal, "stored orders are not numbered 1, 2, 3, ...: found seq \(seq) at place \(place)")
        }
        orders = restored.orders
        restored.orders = OrderTable()  // the table has one owner: changing it copies nothing
        // A queued expedited order (not yet committed, or back after a
        // failed attempt) is keyed at the head of its queue by the place of
        // its last expedite in the ledger, as when it was made or retried.
        expedites = restored.expedites
        var pinned: [(index: Int32, slotStart: Int64)] = []
        for (n, e) in expedites.enumerated() {
            guard let i = orders.index(of: e.orderID), orders[Int(i)].state == .queued else { continue }
            takeExpediteKey(i, ledgerPlace: n)
            pinned.append((i, e.slotStart))
        }
        for d in config.depots { orders.setUsualSlotLength(depot: d.name, d.slotLength) }
        // Each depot's state while it is rebuilt, by depot id; nil when the
        // config has no such depot.
        var states: [DepotState?] = (0..<orders.depotNames.count).map { id in
            let name = orders.depotNames[UInt32(id)]
            guard let cfg = config.depot(named: name) else { return nil }
            var state = DepotState(name: name, slotLength: cfg.slotLength, capacity: cfg.capacity)
            state.virtualTime = restored.virtualTimes[name] ?? 0
            return state
        }
        var queuedKeys = [[QueueKey]](repeating: [], count: states.count)
        let noTier = UInt16.max
        customers = (0..<orders.customerNames.count).map { CustomerRecord(tier: restored.customerTiers[UInt32($0)] ?? noTier) }
        do {  // `records` must be gone before `roll` changes the table
            let records = orders.records
            for i in records.indices {
                let o = records[i]
                let idx = Int32(i)
                let c = Int(o.customer)
                if customers[c].tier == noTier { customers[c].tier = o.tier }
                customers[c].orders += 1
                customers[c].complaints += o.complaints
                customers[c].setLastFinish(o.tag, in: o.depot)
                guard o.state != .cancelled else {
                    cancelledCount += 1
                    continue
                }
                let d = Int(o.depot)
                if (o.state.isOpen || o.slotStart != nil) && states[d] == nil {
                    if !o.state.isOpen { continue }
                    throw FairwayError(
                        .invalidArgument,
                        "depot '\(orders.depotNames[UInt32(d)])' is not in the config but order \(orders.orderID(idx)) waits for it; put the depot back")
                }
                switch o.state {
                case .queued:
                    queuedKeys[d].append(QueueKey(o, index: idx))
                    states[d]!.queuedUnits += Int(o.units)
                    customers[c].queued += 1
                    queuedCount += 1
                case .committed, .delivered, .failed:
                    if let start = o.slotStart, states[d] != nil {
                        let slot = states[d]!.slotIndex(ofSeconds: start)
                        states[d]!.book[slot, default: SlotBook()].used += Int(o.units)
                        states[d]!.book[slot, default: SlotBook()].orders.append(idx)
                        states[d]!.maxBooked = max(states[d]!.maxBooked, slot)
                    }
                    if o.state == .committed {
                        customers[c].committed += 1
                        committedCount += 1
                    } else if o.state == .delivered {
                        customers[c].delivered += 1
                        deliveredCount += 1
                    } else {
                        failedCount += 1
                    }
                case .cancelled:
                    break
                }
            }
        }
        for (d, state) in states.enumerated() {
            guard var state else { continue }
            state.queue = FairQueue(keys: queuedKeys[d])
            queuedKeys[d] = []
            depots[state.name] = state
        }
        for change in restored.capacityChanges { replay(change) }
        for (i, start) in pinned {
            let name = orders.depotName(i)
            guard let d = depots[name] else { continue }
            depots[name]!.pins[i] = d.slotIndex(ofSeconds: start)
        }
        if let problem = reloadProblem(config) { throw FairwayError(.invalidArgument, problem) }
        roll(now)
    }
}
