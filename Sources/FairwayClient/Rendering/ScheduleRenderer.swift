// Slots holding orders, one row each, with a fill bar.

import FairwayProtocol

/// Renders a `schedule` answer.
enum ScheduleRenderer {
    /// The most characters a line of listed order ids takes.
    static let orderListWidth = 96

    /// One row per slot: start (UTC), depot, fill bar, used/capacity,
    /// `promised` or `projected`, number of orders; with `listOrders`, the ids
    /// under each row. Ends with a one-line summary.
    static func render(_ slots: [JSONObject], listOrders: Bool) -> String {
        guard !slots.isEmpty else { return "No slots hold orders in that range.\n" }
        var table = TextTable(columns: [
            .init("START (UTC)"), .init("DEPOT"), .init("FILL"), .init("USED", .right), .init("STATE"),
            .init("ORDERS", .right),
        ])
        var promisedOrders = 0
        var projectedOrders = 0
        var promisedSlots = 0
        for slot in slots {
            let used = slot.int("used") ?? 0
            let capacity = slot.int("capacity") ?? 0
            let orders = slot["orders"]?.arrayValue ?? []
            let committed = slot.bool("committed") == true
            if committed {
                promisedSlots += 1
                promisedOrders += orders.count
            } else {
                projectedOrders += orders.count
            }
            table.append([
                WireTime(slot.string("start"))?.shortDayAndClock ?? slot.display("start"),
                slot.display("depot"),
                FillBar.bar(used: used, capacity: capacity),
                FillBar.label(used: used, capacity: capacity),
                committed ? "promised" : "projected",
                String(orders.count),
            ])
        }
        var lines = table.render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // after the final newline
        var text = lines[0] + "\n"
        for (slot, line) in zip(slots, lines.dropFirst()) {
            text += line + "\n"
            if listOrders {
                let ids = (slot["orders"]?.arrayValue ?? []).map { $0.stringValue ?? $0.jsonText }
                text += wrap(ids, indent: "    ", width: orderListWidth)
            }
        }
        text += "\(NumberText.count(slots.count, "slot")): \(promisedOrders) promised in \(NumberText.count(promisedSlots, "slot")), \(projectedOrders) projected.\n"
        return text
    }

    /// Words joined by `, ` in lines of at most `width` characters after `indent`.
    static func wrap(_ words: [String], indent: String, width: Int) -> String {
        guard !words.isEmpty else { return "" }
        var text = ""
        var line = ""
        for (i, word) in words.enumerated() {
            let piece = i < words.count - 1 ? word + "," : word
            if !line.isEmpty && line.count + 1 + piece.count > width {
                text += indent + line + "\n"
                line = ""
            }
            line += line.isEmpty ? piece : " " + piece
        }
        return text + indent + line + "\n"
    }
}
