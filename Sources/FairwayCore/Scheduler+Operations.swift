extension Scheduler {
    /// Largest number of characters in a complaint's channel, note or a reason.
    public static let maxTextLength = 4096

    func index(of orderID: String) throws(FairwayError) -> Int32 {
        guard let i = orders.index(of: orderID) else { throw .notFound("no order with order_id '\(orderID)'") }
        return i
    }

    /// Records a complaint about an order. It changes no order's place, slot
    /// or promise: only the order's and its customer's complaint counts.
    public mutating func complain(
        orderID: String, channel: String?, note: String?, now: Timestamp, actor: String
    ) throws(FairwayError) -> (OrderView, Complaint) {
        if let channel, channel.count > 64 || !Self.isValidID(channel) { throw .invalid("channel: must be 1..64 printable characters") }
        if let note, note.count > Self.maxTextLength { throw .invalid("note: longer than \(Self.maxTextLength) characters") }
        let i = try index(of: orderID)
        roll(now)
        let complaint = Complaint(orderSeq: Int64(i) + 1, at: now, channel: channel, note: note, actor: actor)
        publishedViewChanged(order: i)
        orders[Int(i)].complaints += 1
        customers[Int(orders[Int(i)].customer)].complaints += 1
        changes.complaints.append(complaint)
        changes.updatedOrders.insert(i)
        let o = orders.order(at: i)
        changes.events.append(Event(
            kind: .complaint, at: now, actor: actor, orderID: o.orderID, customerID: o.customerID, depot: o.depot,
            slotStart: o.slotStart,
            message: "complaint about order \(o.orderID)" + (channel.map { " via \($0)" } ?? "") + (note.map { ": \($0)" } ?? "")))
        return (orderView(i), complaint)
    }

    /// Records that an order was delivered (`delivered`), that its delivery
    /// failed for good (`failed`, with one of the config's failure reasons),
    /// or that it was cancelled. `at` (deliver and fail) is when it happened:
    /// default `now`, not before the order's `cleared_at` and not more than
    /// `clearedAtTolerance` seconds ahead of `now`; it becomes `closed_at`.
    /// A queued order delivered or failed directly counts as served.
    public mutating func close(
        orderID: String, as outcome: OrderState, reason: String?, note: String? = nil, at: Timestamp? = nil, now: Timestamp,
        actor: String
    ) throws(FairwayError) -> OrderView {
        precondition(outcome == .delivered || outcome == .failed || outcome == .cancelled)
        if let reason, reason.count > Self.maxTextLength { throw .invalid("reason: longer than \(Self.maxTextLength) characters") }
        if outcome == .failed { try checkFailureReason(reason) }
        let i = try index(of: orderID)
        let state = orders[Int(i)].state
        let verb = outcome == .delivered ? "deliver" : outcome == .failed ? "fail" : "cancel"
        guard state.isOpen else {
            let when = orders[Int(i)].closedAt.map { " (closed at \($0))" } ?? ""
            throw .conflict("order '\(orderID)' is \(state.rawValue)\(when); \(verb) takes a queued or committed order")
        }
        let closedAt = try outcomeTime(at, of: i, now: now)
        roll(now)
        publishedViewChanged(order: i)
        let o = orders.order(at: i)
        let c = Int(orders[Int(i)].customer)
        var freedRoom = false
        if o.state == .queued {
            dequeue(i, served: outcome != .cancelled)
        } else {
            customers[c].committed -= 1
            committedCount -= 1
            if outcome == .cancelled, o.slotStart != nil {
                unbook(i)
                freedRoom = true
            }
        }
        orders[Int(i)].state = outcome
        orders[Int(i)].closedAt = closedAt
        switch outcome {
        case .delivered:
            customers[c].delivered += 1
            deliveredCount += 1
        case .failed:
            failedCount += 1
            orders.updateExtra(i) { $0.failReason = reason }
        default:
            cancelledCount += 1
        }
        changes.updatedOrders.insert(i)
        let kind: EventKind = outcome == .delivered ? .delivered : outcome == .failed ? .failed : .cancelled
        let when = at.map { " at \($0)" } ?? ""
        changes.events.append(Event(
            kind: kind, at: now, actor: actor, orderID: o.orderID, customerID: o.customerID, depot: o.depot,
            slotStart: o.slotStart,
            message: "order \(o.orderID) \(kind.rawValue)\(when)" + (reason.map { ": \($0)" } ?? "")
                + (note.map { " (\($0))" } ?? "")))
        if freedRoom {
            invalidateProjection(o.depot)
            fillHorizon(o.depot, candidates: nil, now: now, actor: actor)
        }
        return orderView(i)
    }

    /// Takes a committed order out of its slot's book (keeping its first
    /// promise); its slot becomes nil.
    mutating func unbook(_ i: Int32) {
        guard let start = orders[Int(i)].slotStart else { return }
        let depot = orders.depotName(i)
        let slot = depots[depot]!.slotIndex(ofSeconds: start)
        depots[depot]!.book[slot]!.used -= Int(orders[Int(i)].units)
        depots[depot]!.book[slot]!.orders.removeAll { $0 == i }
        if depots[depot]!.book[slot]!.orders.isEmpty { depots[depot]!.book[slot] = nil }
        orders.keepFirstPromise(i)
        orders[Int(i)].slotStart = nil
    }

    /// Why a new config cannot replace the running one, or nil when it can.
    public func reloadProblem(_ new: FairwayConfig) -> String? {
        for (name, d) in depots {
            let open = d.queue.count + d.book.values.reduce(0) { n, b in
                n + b.orders.filter { orders[Int($0)].state == .committed }.count
            }
            guard let cfg = new.depot(named: name) else {
                if open > 0 { return "depot '\(name)' holds \(open) open orders and cannot be removed" }
                continue
            }
            if cfg.slotLength != d.slotLength {
                return "slot-length of depot '\(name)' cannot change while the daemon runs (restart to apply it)"
            }
            var largest = 0
            d.queue.forEach { k in
                largest = max(largest, Int(orders[Int(k.index)].units))
                return true
            }
            if largest > cfg.capacity {
                return "capacity of depot '\(name)' cannot drop to \(cfg.capacity): a queued order needs \(largest) units"
            }
        }
        return nil
    }

    /// Puts a new config in force. Committed orders keep their slots; tags
    /// already given keep their values; new weights apply to new orders.
    public mutating func reload(_ new: FairwayConfig, now: Timestamp, actor: String) throws(FairwayError) {
        if let problem = reloadProblem(new) { throw .invalid(problem) }
        publishedViewChanged()
        config = new
        for cfg in new.depots {
            if depots[cfg.name] == nil {
                orders.setUsualSlotLength(depot: cfg.name, cfg.slotLength)
                depots[cfg.name] = DepotState(name: cfg.name, slotLength: cfg.slotLength, capacity: cfg.capacity)
            } else {
                depots[cfg.name]!.capacity = cfg.capacity
            }
        }
        for name in depots.keys where new.depot(named: name) == nil { depots[name] = nil }
        for name in depots.keys.sorted() {
            let d = depots[name]!
            depots[name]!.bookable = d.slotIndex(ofSeconds: now.seconds) + Int64(new.leadSlots)
            invalidateProjection(name)
            fillHorizon(name, candidates: nil, now: now, actor: actor)
        }
        changes.events.append(Event(kind: .reload, at: now, actor: actor, message: "configuration reloaded"))
    }
}
