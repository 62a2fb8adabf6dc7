extension Scheduler {
    /// An order as queries answer it, by its index.
    mutating func orderView(_ index: Int32) -> OrderView {
        guard orders[Int(index)].state == .queued else { return view(of: index, queuedAt: nil) }
        let name = orders.depotName(index)
        let rank = depots[name]!.queue.rank(of: QueueKey(tag: orders[Int(index)].tag, index: index))!
        return view(of: index, queuedAt: (rank, projectedSlot(name, rank: rank)))
    }

    /// An order as queries answer it, given its place and projected slot
    /// index when it is queued.
    func view(of index: Int32, queuedAt place: (rank: Int, slot: Int64)?) -> OrderView {
        let o = orders.order(at: index)
        var view = OrderView(order: o, slotStart: nil, slotEnd: nil, promised: false, position: nil, atRisk: false)
        switch o.state {
        case .queued:
            let length = depots[o.depot]!.slotLength
            view.position = place!.rank
            view.slotStart = place!.slot * length
            view.slotEnd = (place!.slot + 1) * length
        case .committed, .delivered, .failed:
            if let start = o.slotStart {
                view.slotStart = start
                view.slotEnd = start + o.slotLength
                view.promised = true
            }
        case .cancelled:
            break
        }
        if o.state.isOpen, let deadline = o.deadline, let end = view.slotEnd {
            view.atRisk = end * 1000 > deadline.milliseconds
        }
        // Judged at the last roll, by the same rule as `status`'s count.
        view.overdue = isOverdue(index, now: clock)
        return view
    }

    /// An order's state and slot (committed or projected), without copying it.
    mutating func slot(of index: Int32) -> (OrderState, Int64?, Int64?) {
        let i = Int(index)
        let state = orders[i].state
        switch state {
        case .queued:
            let depot = orders.depotName(index)
            let rank = depots[depot]!.queue.rank(of: QueueKey(tag: orders[i].tag, index: index))!
            let slot = projectedSlot(depot, rank: rank)
            let length = depots[depot]!.slotLength
            return (state, slot * length, (slot + 1) * length)
        case .committed, .delivered, .failed:
            guard let start = orders[i].slotStart else { return (state, nil, nil) }
            return (state, start, start + orders.slotLength(index))
        case .cancelled:
            return (state, nil, nil)
        }
    }

    /// The order with that id, or `not_found`.
    public mutating func order(_ orderID: String) throws(FairwayError) -> OrderView {
        guard let i = orders.index(of: orderID) else { throw .notFound("no order with order_id '\(orderID)'") }
        return orderView(i)
    }

    /// Queued orders of a depot in service order, at most `limit`, starting
    /// after the order `after` when given.
    public mutating func queue(depot: String?, limit: Int, after: String?) throws(FairwayError) -> [OrderView] {
        let name = depot ?? config.defaultDepot
        guard let d = depots[name] else { throw .notFound("no depot named '\(name)'") }
        guard limit >= 1 && limit <= 10_000 else { throw .invalid("limit: \(limit) is out of range 1..10000") }
        var start = 0
        if let after {
            guard let i = orders.index(of: after), orders[Int(i)].state == .queued, orders.depotName(i) == name,
                let rank = d.queue.rank(of: QueueKey(tag: orders[Int(i)].tag, index: i))
            else { throw .notFound("after: no order '\(after)' is queued in depot '\(name)'") }
            start = rank + 1
        }
        let keys = d.queue.keys(from: start, limit: limit)
        guard !keys.isEmpty else { return [] }
        project(name, through: start + keys.count - 1)
        return keys.map { orderView($0.index) }
    }

    /// Slots holding orders, committed and projected, in time order; within a
    /// slot, committed orders first, each group in service order.
    /// `from`/`to` select slots whose start is in `[from, to)`; by default
    /// from the earliest slot holding a committed, undelivered order (else the
    /// first bookable slot) to the last slot holding any order.
    public mutating func schedule(depot: String?, from: Timestamp?, to: Timestamp?) throws(FairwayError) -> [SlotView] {
        let names: [String]
        if let depot {
            guard depots[depot] != nil else { throw .notFound("no depot named '\(depot)'") }
            names = [depot]
        } else {
            names = config.depots.map(\.name).filter { depots[$0] != nil }
        }
        var slots: [SlotView] = []
        for name in names {
            project(name, through: Int.max)
            let d = depots[name]!
            let end = horizonEnd(d)
            var projected: [Int64: [Int32]] = [:]
            var rank = 0
            d.queue.forEach { key in
                projected[d.projection.slot(ofRank: rank), default: []].append(key.index)
                rank += 1
                return true
            }
            let openSlots = d.book.filter { $0.value.orders.contains { orders[Int($0)].state == .committed } }.keys
            let defaultFrom = openSlots.min() ?? d.bookable
            let fromSlot = from.map { DepotState.firstSlot(notBefore: $0, slotLength: d.slotLength) } ?? defaultFrom
            let keys = Set(d.book.keys).union(projected.keys).filter { s in
                s >= fromSlot && (to.map { s * d.slotLength * 1000 < $0.milliseconds } ?? true)
            }
            for s in keys {
                let committedOrders = (d.book[s]?.orders ?? []).sorted {
                    QueueKey(tag: orders[Int($0)].tag, index: $0) < QueueKey(tag: orders[Int($1)].tag, index: $1)
                }
                let projectedOrders = projected[s] ?? []
                if committedOrders.isEmpty && projectedOrders.isEmpty { continue }
                slots.append(SlotView(
                    depot: name, start: s * d.slotLength, end: (s + 1) * d.slotLength, capacity: d.capacity(ofSlot: s),
                    used: (d.book[s]?.used ?? 0) + d.projection.used(s), committed: s < end,
                    orderIDs: (committedOrders + projectedOrders).map { orders.orderID($0) }))
            }
        }
        let rankOf = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        slots.sort { ($0.start, rankOf[$0.depot]!) < ($1.start, rankOf[$1.depot]!) }
        return slots
    }

    /// A customer's tier, weight and counts, or `not_found`.
    public func customer(_ customerID: String) throws(FairwayError) -> CustomerView {
        guard let id = orders.customerNames.id(of: customerID) else {
            throw .notFound("no customer with customer_id '\(customerID)'")
        }
        let c = customers[Int(id)]
        let stored = orders.tierNames[UInt32(c.tier)]
        let tier = config.tier(named: stored) != nil ? stored : config.defaultTier
        return CustomerView(
            customerID: customerID, tier: tier, weight: config.tier(named: tier)!.weight, queued: Int(c.queued),
            committed: Int(c.committed), delivered: Int(c.delivered), complaints: Int(c.complaints))
    }

    /// Counts and each depot's next slots.
    public mutating func status() -> StatusView {
        var depotViews: [DepotStatus] = []
        for cfg in config.depots {
            guard depots[cfg.name] != nil else { continue }
            project(cfg.name, through: Int.max)
            let d = depots[cfg.name]!
            let first = d.bookable
            let last = horizonEnd(d) + 2
            let next = (first..<last).map { s in
                (start: s * d.slotLength, used: (d.book[s]?.used ?? 0) + d.projection.used(s), capacity: d.capacity(ofSlot: s))
            }
            depotViews.append(DepotStatus(
                name: d.name, capacityPerSlot: d.capacity, slotLength: d.slotLength, queuedUnits: d.queuedUnits,
                virtualTime: d.virtualTime, nextSlots: next, capacityChanges: capacityChanges(d, now: clock)))
        }
        return StatusView(
            queued: queuedCount, committed: committedCount, delivered: deliveredCount, failed: failedCount,
            cancelled: cancelledCount, overdue: overdueCount(now: clock), customers: customerCount, depots: depotViews)
    }
}

extension Scheduler {
    /// Cheap counts for a one-line summary: no projection is computed.
    public struct Summary: Sendable, Equatable {
        public var queued: Int
        public var committed: Int
        public var delivered: Int
        /// The first depot's earliest bookable slot: committed units and capacity.
        public var nextSlot: (depot: String, used: Int, capacity: Int)?

        public static func == (a: Summary, b: Summary) -> Bool {
            a.queued == b.queued && a.committed == b.committed && a.delivered == b.delivered
                && a.nextSlot?.depot == b.nextSlot?.depot && a.nextSlot?.used == b.nextSlot?.used
                && a.nextSlot?.capacity == b.nextSlot?.capacity
        }
    }

    /// Counts and the next slot's committed fill, in constant time.
    public func summary() -> Summary {
        var next: (depot: String, used: Int, capacity: Int)?
        if let name = config.depots.first?.name, let d = depots[name] {
            next = (name, d.book[d.bookable]?.used ?? 0, d.capacity(ofSlot: d.bookable))
        }
        return Summary(queued: queuedCount, committed: committedCount, delivered: deliveredCount, nextSlot: next)
    }
}
