/// An order as `export` gives it: what a replay submits, and when the
/// daemon received it.
public struct ExportedOrder: Sendable, Equatable {
    public var orderID: String
    public var customerID: String
    public var units: Int
    /// The customer's tier when the order was received.
    public var tier: String
    public var depot: String
    public var notBefore: Timestamp?
    public var deadline: Timestamp?
    public var clearedAt: Timestamp
    public var receivedAt: Timestamp

    public init(
        orderID: String, customerID: String, units: Int, tier: String, depot: String, notBefore: Timestamp?,
        deadline: Timestamp?, clearedAt: Timestamp, receivedAt: Timestamp
    ) {
        self.orderID = orderID
        self.customerID = customerID
        self.units = units
        self.tier = tier
        self.depot = depot
        self.notBefore = notBefore
        self.deadline = deadline
        self.clearedAt = clearedAt
        self.receivedAt = receivedAt
    }
}

/// One line of the daemon's history as a scenario trace (`export`).
public enum ExportEntry: Sendable, Equatable {
    /// An order, at the instant the daemon received it.
    case order(ExportedOrder)
    /// A complaint about an order.
    case complaint(at: Timestamp, orderID: String)
    /// A capacity change (its `at` is when the trace applies it).
    case capacity(CapacityChange)
    /// An expedite the daemon made (refused ones change nothing and are not kept).
    case expedite(at: Timestamp, orderID: String, reason: String)

    /// When it happened.
    public var at: Timestamp {
        switch self {
        case .order(let o): o.receivedAt
        case .complaint(let at, _): at
        case .capacity(let c): c.at
        case .expedite(let at, _, _): at
        }
    }
}

/// Which of the daemon's history a trace of a window holds, and in what
/// order: the one rule `export` follows, whatever reads the history.
public enum HistoryExport {
    /// A complaint as the store keeps it, with its order's id.
    public struct ComplaintRow: Sendable, Equatable {
        public var at: Timestamp
        public var orderID: String
        public init(at: Timestamp, orderID: String) {
            self.at = at
            self.orderID = orderID
        }
    }

    /// The trace of `[from, to)`:
    ///
    /// - every order received in it (`orders`, in arrival order);
    /// - the complaints and expedites made in it about those orders (one
    ///   about an order received before `from` is left out: the trace never
    ///   names an order it does not hold);
    /// - the capacity changes made in it, and before them, at the time of
    ///   the trace's first event, those made before `from` that still cover
    ///   slots starting at or after `from` (a replay of the window starts
    ///   with them in force), in the order they were made;
    /// - in time order; of one instant, orders first, then complaints,
    ///   capacity changes and expedites, each kind in the order it came.
    ///
    /// A capacity change's `from` and `to` are rounded up to the second (a
    /// slot starts on a whole second, so the same slots are in range): the
    /// answer gives whole seconds. A window with no order, complaint,
    /// expedite or capacity change made in it is empty.
    public static func entries(
        from: Timestamp, to: Timestamp, orders: [ExportedOrder], complaints: [ComplaintRow],
        capacityChanges: [CapacityChange], expedites: [ExpediteRecord]
    ) -> [ExportEntry] {
        func inWindow(_ t: Timestamp) -> Bool { t >= from && t < to }
        let held = orders.filter { inWindow($0.receivedAt) }
        let ids = complaints.isEmpty && expedites.isEmpty ? [] : Set(held.map(\.orderID))
        // (entry, rank within an instant, position): sorted by time, then rank, then position.
        var keyed: [(entry: ExportEntry, rank: Int, n: Int)] = []
        keyed.reserveCapacity(held.count + complaints.count)
        for o in held { keyed.append((.order(o), 1, keyed.count)) }
        for c in complaints where inWindow(c.at) && ids.contains(c.orderID) {
            keyed.append((.complaint(at: c.at, orderID: c.orderID), 2, keyed.count))
        }
        for c in capacityChanges where inWindow(c.at) { keyed.append((.capacity(wholeSeconds(c)), 3, keyed.count)) }
        for e in expedites where inWindow(e.at) && ids.contains(e.orderID) {
            keyed.append((.expedite(at: e.at, orderID: e.orderID, reason: e.reason), 4, keyed.count))
        }
        guard let first = keyed.lazy.map(\.entry.at).min() else { return [] }
        for c in capacityChanges where c.at < from && c.to > from {
            var carried = wholeSeconds(c)
            carried.at = first
            keyed.append((.capacity(carried), 0, keyed.count))
        }
        keyed.sort { a, b in
            (a.entry.at.milliseconds, a.rank, a.n) < (b.entry.at.milliseconds, b.rank, b.n)
        }
        return keyed.map(\.entry)
    }

    /// The change with `from` and `to` rounded up to the second.
    static func wholeSeconds(_ c: CapacityChange) -> CapacityChange {
        func up(_ t: Timestamp) -> Timestamp {
            let ms = t.milliseconds
            let r = ((ms % 1000) + 1000) % 1000
            return Timestamp(milliseconds: r == 0 ? ms : ms - r + 1000)
        }
        var rounded = c
        rounded.from = up(c.from)
        rounded.to = up(c.to)
        return rounded
    }
}
