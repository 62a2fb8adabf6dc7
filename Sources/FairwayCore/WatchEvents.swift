extension EventKind {
    /// The kinds a `watch` may ask for, in the order the contract lists them.
    public static let watchable: [EventKind] = [
        .ingested, .committed, .promiseMoved, .expedited, .delivered, .failed, .retried, .cancelled, .complaint, .capacity,
        .reload,
    ]

    /// The watchable kinds named in `names`, or an error naming each unknown
    /// name and the known ones. Nil or empty names: every watchable kind.
    public static func watchable(named names: [String]?) throws(FairwayError) -> Set<EventKind> {
        guard let names, !names.isEmpty else { return Set(watchable) }
        var kinds = Set<EventKind>()
        var unknown: [String] = []
        for name in names {
            if let kind = EventKind(rawValue: name), watchable.contains(kind) { kinds.insert(kind) } else { unknown.append(name) }
        }
        guard unknown.isEmpty else {
            let quoted = unknown.map { "'\($0)'" }.joined(separator: ", ")
            throw .invalid(
                "events: unknown event \(quoted) (known: \(watchable.map(\.rawValue).joined(separator: ", ")))")
        }
        return kinds
    }
}

extension Event {
    /// What a `watch` sees of committed changes, in the order they happened:
    /// each journal event that a watcher may see, except that the
    /// acceptances of one submit become one `ingested` per depot (depots by
    /// name) with `count` and `units`, where the submit's first acceptance
    /// was; such an event names the order only when it is the depot's one
    /// order, and the customer only when all are that customer's.
    /// `started` and `stopping` are not watch events.
    public static func watchEvents(of changes: ChangeSet) -> [Event] {
        var out: [Event] = []
        var ranges = changes.acceptances.makeIterator()
        var next = ranges.next()
        var i = 0
        let events = changes.events
        while i < events.count {
            if let range = next, range.lowerBound == i {
                out += ingested(events[range])
                i = max(range.upperBound, i + 1)
                next = ranges.next()
                continue
            }
            let e = events[i]
            i += 1
            guard EventKind.watchable.contains(e.kind) else { continue }
            if e.kind == .ingested {
                // An acceptance outside any recorded submit: one order, one event.
                out += ingested(events[(i - 1)..<i])
            } else {
                out.append(e)
            }
        }
        return out
    }

    /// One `ingested` per depot for the acceptances of one submit.
    static func ingested(_ run: ArraySlice<Event>) -> [Event] {
        guard let first = run.first else { return [] }
        struct Group {
            var count = 0
            var units = 0
            var orderID: String?
            var customerID: String?
            var oneCustomer = true
        }
        var groups: [String: Group] = [:]
        for e in run {
            let depot = e.depot ?? ""
            var g = groups[depot] ?? Group(orderID: e.orderID, customerID: e.customerID)
            g.count += 1
            g.units += e.units ?? 1
            if g.customerID != e.customerID { g.oneCustomer = false }
            groups[depot] = g
        }
        return groups.keys.sorted().map { depot in
            let g = groups[depot]!
            let customer = g.oneCustomer ? g.customerID : nil
            let what = g.count == 1 ? "order \(g.orderID ?? "?")" : "\(g.count) orders"
            return Event(
                kind: .ingested, at: first.at, actor: first.actor, orderID: g.count == 1 ? g.orderID : nil,
                customerID: customer, depot: depot,
                message: "\(what) (\(g.units) units\(customer.map { " of customer \($0)" } ?? "")) accepted for depot \(depot)",
                units: g.units, count: g.count)
        }
    }
}
