extension Scheduler {
    /// One line of the daemon's history as a scenario trace (`export`).
    public enum ExportEntry: Sendable, Equatable {
        /// An order, at the instant the daemon received it.
        case order(Order)
        /// A complaint about an order.
        case complaint(at: Timestamp, orderID: String)

        /// When it happened.
        public var at: Timestamp {
            switch self {
            case .order(let o): o.receivedAt
            case .complaint(let at, _): at
            }
        }
    }

    /// The orders received in `[from, to)` and the `complaints` (read from
    /// the store) about them, as a trace a replay can run: in time order,
    /// orders in arrival order, an instant's orders before its complaints.
    /// A complaint about an order received before `from` is left out (the
    /// trace would name an order it does not hold).
    public func export(from: Timestamp, to: Timestamp, complaints: [Complaint]) -> [ExportEntry] {
        var entries: [ExportEntry] = []
        var firstSeq = Int64.max
        for i in 0..<orders.count {
            let received = orders[i].receivedAtMs
            guard received >= from.milliseconds && received < to.milliseconds else { continue }
            firstSeq = min(firstSeq, Int64(i) + 1)
            entries.append(.order(orders.order(at: Int32(i))))
        }
        var inWindow: [(at: Timestamp, seq: Int64)] = []
        for c in complaints where c.at >= from && c.at < to && c.orderSeq >= firstSeq && c.orderSeq <= Int64(orders.count) {
            guard orders[Int(c.orderSeq - 1)].receivedAtMs >= from.milliseconds else { continue }
            inWindow.append((c.at, c.orderSeq))
        }
        // Merge: both lists are in time order (orders by arrival, complaints by time and id).
        var merged: [ExportEntry] = []
        merged.reserveCapacity(entries.count + inWindow.count)
        var k = 0
        for e in entries {
            while k < inWindow.count && inWindow[k].at < e.at {
                merged.append(.complaint(at: inWindow[k].at, orderID: orders.orderID(Int32(inWindow[k].seq - 1))))
                k += 1
            }
            merged.append(e)
        }
        for c in inWindow[k...] { merged.append(.complaint(at: c.at, orderID: orders.orderID(Int32(c.seq - 1)))) }
        return merged
    }
}
