public import FairwayCore

/// Writes response lines: `{"id":...,"ok":true,...}` or the error shape, each
/// ending in a newline. Times are UTC with a `Z` and whole seconds.
public struct ResponseEncoder {
    /// The bytes written so far.
    public var writer = JSONWriter(capacity: 256)

    public init() {}

    /// A success line; `body` writes the result fields (keys and values).
    public static func success(id: JSON?, _ body: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("id")
        w.write(id ?? .null)
        w.key("ok")
        w.bool(true)
        body(&w)
        w.endObject()
        w.newline()
        return w.bytes
    }

    /// An error line.
    public static func failure(id: JSON?, _ error: FairwayError) -> [UInt8] {
        var w = JSONWriter(capacity: 128)
        w.beginObject()
        w.key("id")
        w.write(id ?? .null)
        w.key("ok")
        w.bool(false)
        w.key("error")
        w.beginObject()
        w.key("code")
        w.string(error.code.rawValue)
        w.key("message")
        w.string(error.message)
        w.endObject()
        w.endObject()
        w.newline()
        return w.bytes
    }
}

extension JSONWriter {
    /// A time as the contract answers it, or null.
    public mutating func time(_ seconds: Int64?) {
        if let seconds { string(Timestamp(seconds: seconds).rfc3339) } else { null() }
    }

    /// A time as the contract answers it, or null.
    public mutating func time(_ t: Timestamp?) {
        if let t { string(t.rfc3339) } else { null() }
    }

    /// One line of `export`: `at` (whole seconds, as every answer), `at_ms`
    /// (the exact instant, so that a replay keeps apart submits of one
    /// second), `event`, and the trace columns that apply.
    public mutating func exportEntry(_ e: ExportEntry) {
        beginObject()
        key("at"); time(e.at)
        key("at_ms"); int(e.at.milliseconds)
        switch e {
        case .order(let o):
            key("event"); string("order")
            key("order_id"); string(o.orderID)
            key("customer_id"); string(o.customerID)
            key("units"); int(o.units)
            key("tier"); string(o.tier)
            key("depot"); string(o.depot)
            if let t = o.notBefore { key("not_before"); time(t) }
            if let t = o.deadline { key("deadline"); time(t) }
            key("cleared_at"); time(o.clearedAt)
        case .complaint(_, let orderID):
            key("event"); string("complaint")
            key("order_id"); string(orderID)
        case .capacity(let c):
            key("event"); string("capacity")
            key("depot"); string(c.depot)
            key("from"); time(c.from)
            key("to"); time(c.to)
            if let capacity = c.capacity { key("capacity"); int(capacity) }
            if let reason = c.reason { key("reason"); string(reason) }
        case .expedite(_, let orderID, let reason):
            key("event"); string("expedite")
            key("order_id"); string(orderID)
            key("reason"); string(reason)
        }
        endObject()
    }

    /// A string or null.
    public mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    /// An order object as `order`, `queue`, `complain`, ... answer it.
    public mutating func order(_ v: OrderView) {
        let o = v.order
        beginObject()
        key("order_id"); string(o.orderID)
        key("customer_id"); string(o.customerID)
        key("units"); int(Int(o.units))
        key("cleared_at"); time(o.clearedAt)
        key("depot"); string(o.depot)
        key("tier"); string(o.tier)
        key("not_before"); time(o.notBefore)
        key("deadline"); time(o.deadline)
        key("notes"); optionalString(o.notes)
        key("received_at"); time(o.receivedAt)
        key("state"); string(o.state.rawValue)
        key("weight"); int(Int(o.weight))
        key("slot_start"); time(v.slotStart)
        key("slot_end"); time(v.slotEnd)
        key("promised"); bool(v.promised)
        key("position")
        if let p = v.position { int(p) } else { null() }
        key("tag"); double(o.tag)
        key("at_risk"); bool(v.atRisk)
        key("overdue"); bool(v.overdue)
        key("complaints"); int(Int(o.complaints))
        key("first_promise")
        if let first = o.firstPromise {
            beginObject()
            key("slot_start"); time(first)
            key("slot_end"); time(first + o.slotLength)
            endObject()
        } else {
            null()
        }
        key("promise_moves"); int(Int(o.promiseMoves))
        key("expedited"); bool(o.expedited)
        key("displaced"); int(Int(o.displaced))
        key("delivered_at"); time(o.deliveredAt)
        key("closed_at"); time(o.closedAt)
        key("fail_reason"); optionalString(o.failReason)
        key("outcome"); optionalString(o.outcome?.rawValue)
        key("attempts")
        beginArray()
        for a in o.attempts {
            beginObject()
            key("at"); time(a.at)
            key("reason"); string(a.reason)
            key("note"); optionalString(a.note)
            endObject()
        }
        endArray()
        endObject()
    }

    /// The result fields of `capacity`.
    public mutating func capacityAnswer(_ a: CapacityAnswer) {
        key("moved")
        beginArray()
        for m in a.moved {
            beginObject()
            key("order_id"); string(m.orderID)
            key("from_slot"); time(m.fromSlot)
            key("to_slot"); time(m.toSlot)
            endObject()
        }
        endArray()
        key("slots")
        beginArray()
        for s in a.slots {
            beginObject()
            key("start"); time(s.start)
            key("capacity"); int(s.capacity)
            key("used"); int(s.used)
            endObject()
        }
        endArray()
    }

    /// The result fields of `submit`.
    public mutating func submitResults(_ results: [SubmitResult]) {
        let duplicates = results.lazy.filter(\.duplicate).count
        key("accepted"); int(results.count - duplicates)
        key("duplicates"); int(duplicates)
        key("results")
        beginArray()
        for r in results {
            beginObject()
            key("order_id"); string(r.orderID)
            key("state"); string(r.state.rawValue)
            key("slot_start"); time(r.slotStart)
            key("slot_end"); time(r.slotEnd)
            key("duplicate"); bool(r.duplicate)
            key("at_risk"); bool(r.atRisk)
            endObject()
        }
        endArray()
    }

    /// The result fields of `submit` with `dry_run`: those of `submit`,
    /// then whom it would push later.
    public mutating func submitWhatIf(_ w: SubmitWhatIf) {
        key("dry_run"); bool(true)
        submitResults(w.results)
        displacement(w.displacement)
    }

    /// The result fields of `expedite` (with or without `dry_run`).
    public mutating func expedite(_ a: ExpediteAnswer, dryRun: Bool) {
        key("dry_run"); bool(dryRun)
        key("order"); order(a.order)
        displacement(a.displacement)
        key("slot")
        beginObject()
        key("start"); time(a.record.slotStart)
        key("end"); time(a.order.slotEnd)
        key("committed"); bool(a.record.committed)
        key("capacity"); int(a.slotCapacity)
        key("budget_units"); int(a.budgetUnits)
        key("expedited_units"); int(a.budgetUsed)
        key("budget_left"); int(max(0, a.budgetUnits - a.budgetUsed))
        endObject()
        key("expedite"); expediteRecord(a.record)
    }

    /// One entry of the expedite ledger.
    public mutating func expediteRecord(_ e: ExpediteRecord) {
        beginObject()
        key("order_id"); string(e.orderID)
        key("depot"); string(e.depot)
        key("actor"); string(e.actor)
        key("at"); time(e.at)
        key("reason"); string(e.reason)
        key("slot_start"); time(e.slotStart)
        key("committed"); bool(e.committed)
        key("displaced_count"); int(e.displacedCount)
        endObject()
    }

    /// `displaced`, `displaced_count` and `by_tier`.
    public mutating func displacement(_ d: Displacement) {
        key("displaced")
        beginArray()
        for o in d.orders {
            beginObject()
            key("order_id"); string(o.orderID)
            key("from_slot"); time(o.fromSlot)
            key("to_slot"); time(o.toSlot)
            endObject()
        }
        endArray()
        key("displaced_count"); int(d.count)
        key("by_tier")
        beginArray()
        for t in d.byTier {
            beginObject()
            key("tier"); string(t.tier)
            key("committed"); int(t.committed)
            key("queued"); int(t.queued)
            key("displaced"); int(t.displaced)
            key("delay_max_s"); int(Int(t.delayMax))
            key("delay_mean_s"); int(t.displaced == 0 ? 0 : Int(t.delayTotal) / t.displaced)
            endObject()
        }
        endArray()
    }

    /// The result fields of `schedule`.
    public mutating func slots(_ slots: [SlotView]) {
        key("slots")
        beginArray()
        for s in slots {
            beginObject()
            key("depot"); string(s.depot)
            key("start"); time(s.start)
            key("end"); time(s.end)
            key("capacity"); int(s.capacity)
            key("used"); int(s.used)
            key("committed"); bool(s.committed)
            key("orders")
            beginArray()
            for id in s.orderIDs { string(id) }
            endArray()
            endObject()
        }
        endArray()
    }

    /// A customer object.
    public mutating func customer(_ c: CustomerView) {
        beginObject()
        key("customer_id"); string(c.customerID)
        key("tier"); string(c.tier)
        key("weight"); int(c.weight)
        key("queued"); int(c.queued)
        key("committed"); int(c.committed)
        key("delivered"); int(c.delivered)
        key("complaints"); int(c.complaints)
        key("failed"); int(c.failed)
        key("cancelled"); int(c.cancelled)
        key("overdue"); int(c.overdue)
        key("orders")
        beginArray()
        for v in c.orders {
            beginObject()
            key("order_id"); string(v.order.orderID)
            key("state"); string(v.order.state.rawValue)
            key("depot"); string(v.order.depot)
            key("units"); int(Int(v.order.units))
            key("slot_start"); time(v.slotStart)
            key("slot_end"); time(v.slotEnd)
            key("outcome"); optionalString(v.outcomeName)
            key("at_risk"); bool(v.atRisk)
            key("overdue"); bool(v.overdue)
            endObject()
        }
        endArray()
        endObject()
    }

    /// The result fields of a list of orders with its full count (`at_risk`, `overdue`).
    public mutating func orderList(_ views: [OrderView], count: Int) {
        key("orders")
        beginArray()
        for v in views { order(v) }
        endArray()
        key("count"); int(count)
    }

    /// A `why` object.
    public mutating func why(_ y: Why) {
        beginObject()
        key("order_id"); string(y.orderID)
        key("state"); string(y.state.rawValue)
        key("depot"); string(y.depot)
        key("slot_start"); time(y.slotStart)
        key("slot_end"); time(y.slotEnd)
        key("position")
        if let p = y.position { int(p) } else { null() }
        key("tag"); double(y.tag)
        key("weight"); int(y.weight)
        key("virtual_time"); double(y.virtualTime)
        key("earliest_slot"); time(y.earliestSlot)
        key("ahead")
        beginObject()
        key("orders"); int(y.aheadOrders)
        key("units"); int(y.aheadUnits)
        endObject()
        key("ahead_by_tier")
        beginArray()
        for t in y.aheadByTier {
            beginObject()
            key("tier"); string(t.tier)
            key("orders"); int(t.orders)
            key("units"); int(t.units)
            endObject()
        }
        endArray()
        key("full_slots"); int(y.fullSlots)
        key("reasons")
        beginArray()
        for r in y.reasons { string(r.rawValue) }
        endArray()
        key("text"); string(y.text)
        if y.state == .queued {
            key("expedite")
            if let e = y.expedite {
                beginObject()
                key("slot_start"); time(e.slotStart)
                key("displaced"); int(e.displaced)
                endObject()
            } else {
                null()
            }
        }
        endObject()
    }

    /// The result fields of `status` (without `version` and `started_at`).
    public mutating func status(_ s: StatusView) {
        key("queued"); int(s.queued)
        key("committed"); int(s.committed)
        key("delivered"); int(s.delivered)
        key("failed"); int(s.failed)
        key("cancelled"); int(s.cancelled)
        key("overdue"); int(s.overdue)
        key("customers"); int(s.customers)
        key("depots")
        beginArray()
        for d in s.depots {
            beginObject()
            key("name"); string(d.name)
            key("capacity_per_slot"); int(d.capacityPerSlot)
            key("slot_length_s"); int(d.slotLength)
            key("queued_units"); int(d.queuedUnits)
            key("virtual_time"); double(d.virtualTime)
            key("next_slots")
            beginArray()
            for n in d.nextSlots {
                beginObject()
                key("start"); time(n.start)
                key("used"); int(n.used)
                key("capacity"); int(n.capacity)
                endObject()
            }
            endArray()
            key("capacity_changes")
            beginArray()
            for c in d.capacityChanges {
                beginObject()
                key("start"); time(c.start)
                key("end"); time(c.end)
                key("capacity"); int(c.capacity)
                key("reason"); string(c.reason)
                endObject()
            }
            endArray()
            endObject()
        }
        endArray()
    }

    /// The result fields of `report`: `rows` (each with its `key`) and `total`.
    public mutating func report(_ rows: [Report.Row], total: Report.Counts, by: [Report.Dimension]) {
        key("rows")
        beginArray()
        for row in rows {
            beginObject()
            key("key")
            beginObject()
            for (d, v) in zip(by, row.key) {
                key(d.rawValue)
                optionalString(v)
            }
            endObject()
            reportCounts(row.counts)
            endObject()
        }
        endArray()
        key("total")
        beginObject()
        reportCounts(total)
        endObject()
    }

    /// The counts of a report row, as fields of the object being written.
    mutating func reportCounts(_ c: Report.Counts) {
        let counts: [(String, Int)] = [
            ("closed", c.closed), ("delivered", c.delivered), ("on_time", c.onTime), ("late", c.late), ("failed", c.failed),
            ("cancelled", c.cancelled), ("overdue", c.overdue), ("retried", c.retried), ("promise_moved", c.promiseMoved),
            ("expedited", c.expedited), ("displaced", c.displaced), ("deadline_missed", c.deadlineMissed),
            ("complaints", c.complaints), ("complaints_on_time", c.complaintsOnTime),
        ]
        for (name, value) in counts {
            key(name)
            int(value)
        }
        for (name, value) in [("otfp", c.otfp), ("wait_mean_h", c.waitMeanH), ("wait_p95_h", c.waitP95H)] {
            key(name)
            if let value { double((value * 10_000).rounded() / 10_000) } else { null() }
        }
        key("failed_by_reason")
        beginObject()
        for (reason, n) in c.failedByReason.sorted(by: { $0.key < $1.key }) {
            key(reason)
            int(n)
        }
        endObject()
    }
}
