// The answer to `capacity`: what changed, the promises it moved, the slots' fill.

import FairwayProtocol

/// Renders a `capacity` answer.
enum CapacityRenderer {
    /// Most slots listed; the rest are counted.
    static let maxSlotRows = 48

    /// ```
    /// Capacity of depot north set to 20 for 8 slots (truck 3 in repair).
    /// 2 promises moved:
    ///
    /// ORDER      FROM (UTC)        TO (UTC)
    /// SO-240031  Tue 24 Nov 09:00  Tue 24 Nov 17:00
    ///
    /// SLOT (UTC)        FILL                    USED
    /// Tue 24 Nov 09:00  [##########----------]  20/20
    /// ```
    static func render(_ answer: JSONObject, depot: String, capacity: Int?, reason: String?) -> String {
        let slots = answer.objects("slots")
        let moved = answer.objects("moved")
        let span = NumberText.count(slots.count, "slot")
        var text = capacity.map { "Capacity of depot \(depot) set to \($0) for \(span)" }
            ?? "Capacity of depot \(depot) back to its configured value for \(span)"
        text += (reason.map { " (\($0))" } ?? "") + ".\n"
        if moved.isEmpty {
            text += "No promise moved.\n"
        } else {
            text += "\(NumberText.count(moved.count, "promise")) moved:\n\n"
            var table = TextTable(columns: [.init("ORDER"), .init("FROM (UTC)"), .init("TO (UTC)")])
            for m in moved {
                table.append([m.display("order_id"), clock(m.string("from_slot")), clock(m.string("to_slot"))])
            }
            text += table.render()
        }
        guard !slots.isEmpty else { return text }
        var table = TextTable(columns: [.init("SLOT (UTC)"), .init("FILL"), .init("USED", .right)])
        for slot in slots.prefix(maxSlotRows) {
            let used = slot.int("used") ?? 0
            let capacity = slot.int("capacity") ?? 0
            table.append([clock(slot.string("start")), FillBar.bar(used: used, capacity: capacity), FillBar.label(used: used, capacity: capacity)])
        }
        text += "\n" + table.render()
        if slots.count > maxSlotRows { text += "… and \(slots.count - maxSlotRows) more slots\n" }
        return text
    }

    private static func clock(_ time: String?) -> String { WireTime(time)?.shortDayAndClock ?? time ?? "-" }
}
