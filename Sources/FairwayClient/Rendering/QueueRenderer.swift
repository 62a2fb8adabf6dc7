// Queued orders as a table in service order.

import FairwayProtocol

/// Renders a `queue` answer.
enum QueueRenderer {
    /// A heading, a table (position, order, customer, tier, units, projected
    /// slot, at-risk mark) and, when the page is full, how to see the next one.
    ///
    /// - Parameters:
    ///   - depot: the `--depot` asked for, if any.
    ///   - limit: the `--limit` asked for (the daemon's default is 100).
    static func render(_ orders: [JSONObject], depot: String?, limit: Int?) -> String {
        let depotName = depot ?? orders.first?.string("depot")
        let place = depotName.map { " in depot \($0)" } ?? ""
        guard !orders.isEmpty else { return "No orders queued\(place).\n" }
        var table = TextTable(columns: [
            .init("#", .right), .init("ORDER"), .init("CUSTOMER"), .init("TIER"), .init("UNITS", .right),
            .init("PROJECTED SLOT (UTC)"), .init("RISK"),
        ])
        for order in orders {
            let position = order.int("position").map { String($0 + 1) } ?? "-"
            let slot = WireTime(order.string("slot_start"))?.shortDayAndClock ?? "-"
            table.append([
                position, order.display("order_id"), order.display("customer_id"), order.display("tier"),
                order.display("units"), slot, order.bool("at_risk") == true ? "AT RISK" : "",
            ])
        }
        let units = orders.reduce(0) { $0 + ($1.int("units") ?? 0) }
        var text = "Queue\(place), in service order (#1 is served next): \(NumberText.count(orders.count, "order")), \(NumberText.count(units, "unit"))\n"
        text += table.render()
        let atRisk = orders.filter { $0.bool("at_risk") == true }.count
        if atRisk > 0 { text += "\(atRisk) at risk of missing a deadline.\n" }
        if orders.count >= (limit ?? 100), let last = orders.last?.string("order_id") {
            let depotOption = depotName.map { " --depot \($0)" } ?? ""
            text += "More may follow: fairwayctl queue\(depotOption) --after \(last)\n"
        }
        return text
    }
}
