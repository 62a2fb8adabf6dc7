// The lists a desk looks at first: deals that miss their deadline, promises
// whose slot ended with no outcome.

import FairwayProtocol

/// Renders `at_risk` and `overdue` answers.
enum AttentionRenderer {
    /// A table of orders that miss their deadline, earliest deadline first,
    /// each followed by its notes (the deal's terms).
    static func atRisk(_ orders: [JSONObject], count: Int, depot: String?) -> String {
        let place = depot.map { " in depot \($0)" } ?? ""
        guard !orders.isEmpty else { return "No open order misses its deadline\(place).\n" }
        var text = "\(NumberText.count(count, "order")) miss\(count == 1 ? "es" : "") a deadline\(place), earliest deadline first:\n"
        var table = TextTable(columns: [
            .init("DEADLINE (UTC)"), .init("ORDER"), .init("CUSTOMER"), .init("DEPOT"), .init("STATE"), .init("SLOT (UTC)"),
            .init("NOTES"),
        ])
        for o in orders {
            let slot = WireTime(o.string("slot_start"))?.shortDayAndClock ?? "-"
            let notes = o.string("notes").map { $0.split(separator: "\n").joined(separator: " / ") } ?? ""
            table.append([
                WireTime(o.string("deadline"))?.shortDayAndClock ?? "-", o.display("order_id"), o.display("customer_id"),
                o.display("depot"), o.display("state"), slot, notes,
            ])
        }
        text += table.render()
        if count > orders.count { text += "\(count - orders.count) more not shown (--limit).\n" }
        return text
    }

    /// A table of overdue orders, earliest slot end first.
    static func overdue(_ orders: [JSONObject], count: Int, depot: String?) -> String {
        let place = depot.map { " in depot \($0)" } ?? ""
        guard !orders.isEmpty else { return "No promised slot ended without an outcome\(place).\n" }
        var text = "\(NumberText.count(count, "order")) overdue\(place): the promised slot ended and no outcome is recorded.\n"
        var table = TextTable(columns: [
            .init("SLOT ENDED (UTC)"), .init("ORDER"), .init("CUSTOMER"), .init("DEPOT"), .init("UNITS", .right),
        ])
        for o in orders {
            table.append([
                WireTime(o.string("slot_end"))?.shortDayAndClock ?? "-", o.display("order_id"), o.display("customer_id"),
                o.display("depot"), o.display("units"),
            ])
        }
        text += table.render()
        if count > orders.count { text += "\(count - orders.count) more not shown (--limit).\n" }
        text += "Record each: fairwayctl deliver ID, fairwayctl fail ID --reason R, or fairwayctl cancel ID.\n"
        return text
    }
}
