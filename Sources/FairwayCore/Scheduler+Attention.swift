/// What a desk looks at first: orders that miss a Sales deadline, promises
/// whose slot ended without an outcome, a customer's recent orders.
extension Scheduler {
    /// Whether the order at `index` is overdue at `now`: committed, its
    /// promised slot has ended, and no outcome is recorded.
    func isOverdue(_ index: Int32, now: Timestamp) -> Bool {
        let r = orders[Int(index)]
        guard r.state == .committed, let start = r.slotStart else { return false }
        return (start + orders.slotLength(index)) * 1000 <= now.milliseconds
    }

    /// Open orders with a `deadline` whose slot (promised or projected) ends
    /// after it, or whose deadline has passed by `now`: earliest deadline
    /// first (ties by order id), at most `limit`, and how many there are.
    public mutating func atRisk(depot: String?, limit: Int, now: Timestamp) throws(FairwayError) -> (orders: [OrderView], count: Int) {
        let depotID = try depotFilter(depot)
        guard (1...10_000).contains(limit) else { throw .invalid("limit: \(limit) is out of range 1..10000") }
        var found: [(deadline: Int64, id: String, index: Int32)] = []
        for i in 0..<orders.count {
            let r = orders[i]
            guard r.state.isOpen, r.deadlineMs != OrderRecord.none, depotID.map({ $0 == r.depot }) ?? true else { continue }
            let passed = r.deadlineMs <= now.milliseconds
            var late = false
            if !passed {
                let (_, _, end) = slot(of: Int32(i))
                late = end.map { $0 * 1000 > r.deadlineMs } ?? false
            }
            if passed || late { found.append((r.deadlineMs, orders.orderID(Int32(i)), Int32(i))) }
        }
        found.sort { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
        return (found.prefix(limit).map { view(at: $0.index, now: now) }, found.count)
    }

    /// Overdue orders (see `isOverdue`): earliest slot end first (ties by
    /// order id), at most `limit`, and how many there are.
    public mutating func overdue(depot: String?, limit: Int, now: Timestamp) throws(FairwayError) -> (orders: [OrderView], count: Int) {
        _ = try depotFilter(depot)
        guard (1...10_000).contains(limit) else { throw .invalid("limit: \(limit) is out of range 1..10000") }
        var found: [(end: Int64, id: String, index: Int32)] = []
        for (name, d) in depots where depot.map({ $0 == name }) ?? true {
            for (s, book) in d.book where (s + 1) * d.slotLength * 1000 <= now.milliseconds {
                for i in book.orders where isOverdue(i, now: now) {
                    found.append(((orders[Int(i)].slotStart ?? 0) + orders.slotLength(i), orders.orderID(i), i))
                }
            }
        }
        found.sort { ($0.end, $0.id) < ($1.end, $1.id) }
        return (found.prefix(limit).map { view(at: $0.index, now: now) }, found.count)
    }

    /// How many orders are overdue at `now`.
    public func overdueCount(now: Timestamp) -> Int {
        var n = 0
        for d in depots.values {
            for (s, book) in d.book where (s + 1) * d.slotLength * 1000 <= now.milliseconds {
                n += book.orders.lazy.filter { isOverdue($0, now: now) }.count
            }
        }
        return n
    }

    /// A customer's tier, weight, counts and its `limit` most recently
    /// cleared orders (ties by order id), or `not_found`.
    public mutating func customer(_ customerID: String, limit: Int, now: Timestamp) throws(FairwayError) -> CustomerView {
        guard (0...1000).contains(limit) else { throw .invalid("limit: \(limit) is out of range 0..1000") }
        var result = try customer(customerID)
        let id = orders.customerNames.id(of: customerID)!
        var mine: [(cleared: Int64, id: String, index: Int32)] = []
        for i in 0..<orders.count where orders[i].customer == id {
            let r = orders[i]
            switch r.state {
            case .failed: result.failed += 1
            case .cancelled: result.cancelled += 1
            case .committed: if isOverdue(Int32(i), now: now) { result.overdue += 1 }
            case .queued, .delivered: break
            }
            mine.append((r.clearedAtMs, orders.orderID(Int32(i)), Int32(i)))
        }
        mine.sort { ($0.cleared, $1.id) > ($1.cleared, $0.id) }
        result.orders = mine.prefix(limit).map { view(at: $0.index, now: now) }
        return result
    }

    /// The order view with `overdue` decided at `now`.
    mutating func view(at index: Int32, now: Timestamp) -> OrderView {
        var v = orderView(index)
        v.overdue = isOverdue(index, now: now)
        return v
    }

    /// The depot id named by `depot` (nil: every depot), or `not_found`.
    private func depotFilter(_ depot: String?) throws(FairwayError) -> UInt16? {
        guard let depot else { return nil }
        guard depots[depot] != nil, let id = orders.depotNames.id(of: depot) else {
            if depots[depot] != nil { return UInt16.max }  // a depot with no orders yet
            throw .notFound("no depot named '\(depot)'")
        }
        return UInt16(id)
    }
}

extension OrderView {
    /// How the order ended (`Order.outcome`, against its first promise):
    /// `on_time`, `late`, `failed`, `cancelled`; nil while open.
    public var outcomeName: String? { order.outcome?.rawValue }
}
