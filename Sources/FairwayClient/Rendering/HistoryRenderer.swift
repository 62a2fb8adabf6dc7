// An order's events as a table.

import FairwayProtocol

/// Renders a `history` answer.
enum HistoryRenderer {
    /// A heading and one row per event: time (UTC), kind, actor, message.
    static func render(_ events: [JSONObject], orderID: String) -> String {
        guard !events.isEmpty else { return "No events recorded for order \(orderID).\n" }
        var table = TextTable(columns: [.init("AT (UTC)"), .init("EVENT"), .init("BY"), .init("WHAT")])
        for event in events {
            let at = WireTime(event.string("at")).map(\.isoDayAndClock) ?? event.display("at")
            let message = event.display("message").split(separator: "\n").joined(separator: " / ")
            table.append([at, event.display("kind"), event.display("actor"), message])
        }
        return "History of order \(orderID)\n" + table.render()
    }
}
