// A customer as a small key/value block.

import FairwayProtocol

/// Renders a `customer` answer.
enum CustomerRenderer {
    /// ```
    /// Customer C-77
    ///   Tier:        gold (weight 8)
    ///   Queued:      3
    ///   ...
    /// ```
    static func render(_ customer: JSONObject) -> String {
        var text = "Customer \(customer.display("customer_id"))\n"
        let rows: [(String, String)] = [
            ("Tier:", "\(customer.display("tier")) (weight \(customer.display("weight")))"),
            ("Queued:", customer.display("queued")),
            ("Committed:", customer.display("committed")),
            ("Delivered:", customer.display("delivered")),
            ("Failed:", customer.display("failed")),
            ("Cancelled:", customer.display("cancelled")),
            ("Overdue:", customer.display("overdue")),
            ("Complaints:", customer.display("complaints")),
        ]
        for (label, value) in rows where !(value == "-" && ["Failed:", "Cancelled:", "Overdue:"].contains(label)) {
            text += "  \(label.padding(to: 13))\(value)\n"
        }
        let orders = customer.objects("orders")
        guard !orders.isEmpty else { return text }
        text += "Recent orders, most recently cleared first:\n"
        var table = TextTable(columns: [
            .init("ORDER"), .init("STATE"), .init("DEPOT"), .init("UNITS", .right), .init("SLOT (UTC)"), .init("OUTCOME"),
            .init("NOTE"),
        ])
        table.indent = "  "
        for o in orders {
            var note: [String] = []
            if o.bool("overdue") == true { note.append("OVERDUE") }
            if o.bool("at_risk") == true { note.append("AT RISK") }
            table.append([
                o.display("order_id"), o.display("state"), o.display("depot"), o.display("units"),
                WireTime(o.string("slot_start"))?.shortDayAndClock ?? "-", o.string("outcome") ?? "", note.joined(separator: ", "),
            ])
        }
        return text + table.render()
    }
}
