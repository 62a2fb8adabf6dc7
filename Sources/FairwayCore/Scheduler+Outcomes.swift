extension Scheduler {
    /// Records that a delivery failed. Without `retry` the order is closed
    /// as `failed` (see `close`). With `retry` the attempt is recorded and the
    /// order goes back to `queued` with its finish tag unchanged (so it comes
    /// before every order received after it was served), keeps its first
    /// promise, and is placed at once by the usual rules. A retry whose `at`,
    /// reason and note equal the order's last recorded attempt is a repeat:
    /// it changes nothing and answers the order as it stands. (Without `at`
    /// every retry is a new attempt.)
    public mutating func fail(
        orderID: String, reason: String?, note: String?, at: Timestamp?, retry: Bool, now: Timestamp, actor: String
    ) throws(FairwayError) -> OrderView {
        if let note, note.count > Self.maxTextLength { throw .invalid("note: longer than \(Self.maxTextLength) characters") }
        guard retry else { return try close(orderID: orderID, as: .failed, reason: reason, note: note, at: at, now: now, actor: actor) }
        try checkFailureReason(reason)
        let i = try index(of: orderID)
        let attempt = Attempt(at: try outcomeTime(at, of: i, now: now), reason: reason!, note: note)
        if at != nil, orders.extra(i)?.attempts.last == attempt { return orderView(i) }
        let state = orders[Int(i)].state
        guard state.isOpen else {
            throw .conflict("order '\(orderID)' is \(state.rawValue); fail takes a queued or committed order")
        }
        roll(now)
        publishedViewChanged(order: i)
        orders.updateExtra(i) { $0.attempts.append(attempt) }
        changes.attempts.append((orderSeq: Int64(i) + 1, attempt: attempt))
        changes.updatedOrders.insert(i)
        let depot = orders.depotName(i)
        let from = orders[Int(i)].slotStart
        if state == .committed { requeue(i) }
        let o = orders.order(at: i)
        changes.events.append(Event(
            kind: .retried, at: now, actor: actor, orderID: o.orderID, customerID: o.customerID, depot: depot,
            slotStart: from,
            message: "delivery of order \(o.orderID) failed at \(attempt.at): \(attempt.reason)"
                + (note.map { " (\($0))" } ?? "") + "; it goes back in line"))
        if state == .committed {
            invalidateProjection(depot)
            fillHorizon(depot, candidates: nil, now: now, actor: actor)
        }
        return orderView(i)
    }

    /// Puts a committed order back in its depot's queue under its old tag;
    /// an expedited one goes back to the head under its expedite key, from
    /// the slot its last expedite gave it (within the budget, as any
    /// expedited order is placed).
    private mutating func requeue(_ i: Int32) {
        let depot = orders.depotName(i)
        unbook(i)
        orders[Int(i)].state = .queued
        if orders[Int(i)].expedited, let last = lastExpedite(of: i) {
            takeExpediteKey(i, ledgerPlace: last.place)
            depots[depot]!.pins[i] = last.slot
        }
        let c = Int(orders[Int(i)].customer)
        customers[c].committed -= 1
        customers[c].queued += 1
        committedCount -= 1
        queuedCount += 1
        let key = QueueKey(orders[Int(i)], index: i)
        truncateProjection(depot, fromRank: depots[depot]!.queue.insertionRank(of: key))
        depots[depot]!.queue.insert(key)
        publishedKeysQueued([key][...], depot: depot)
        depots[depot]!.queuedUnits += Int(orders[Int(i)].units)
    }

    /// `invalid_argument` unless `reason` is one of the config's failure reasons.
    func checkFailureReason(_ reason: String?) throws(FairwayError) {
        let allowed = config.failureReasons.joined(separator: ", ")
        guard let reason else { throw .invalid("reason: missing (one of: \(allowed))") }
        guard config.failureReasons.contains(reason) else {
            throw .invalid("reason: '\(reason.prefix(64))' is not a failure reason (one of: \(allowed))")
        }
    }

    /// When an outcome of the order at index `i` happened: `at`, or `now`
    /// when it is nil; `invalid_argument` when `at` is before the order's
    /// `cleared_at` or more than `clearedAtTolerance` seconds ahead of `now`.
    func outcomeTime(_ at: Timestamp?, of i: Int32, now: Timestamp) throws(FairwayError) -> Timestamp {
        guard let at else { return now }
        // Whole seconds, as answers give `cleared_at`: that time sent back is never refused.
        let cleared = Timestamp(seconds: Timestamp(milliseconds: orders[Int(i)].clearedAtMs).seconds)
        if at.milliseconds < cleared.milliseconds {
            throw .invalid("at: \(at) is before the order's cleared_at (\(cleared))")
        }
        if at.milliseconds > now.milliseconds + Self.clearedAtTolerance * 1000 {
            throw .invalid("at: \(at) is more than \(Self.clearedAtTolerance) s ahead of the daemon's clock (\(now))")
        }
        return at
    }
}
