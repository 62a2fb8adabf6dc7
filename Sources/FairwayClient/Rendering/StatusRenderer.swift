// The daemon's status: a summary, a depot table, and the next slots' fill.

import FairwayProtocol

/// Renders a `status` answer.
enum StatusRenderer {
    /// ```
    /// fairwayd 1.0.0, started 2026-11-23 06:00 UTC
    /// Orders: 216 queued, 96 committed, 1200 delivered; 40 customers
    ///
    /// DEPOT  SLOT  CAPACITY  QUEUED UNITS  VIRTUAL TIME
    /// north    1h        40           812         123.5
    ///
    /// NEXT SLOTS (UTC)  DEPOT  FILL                    USED
    /// Tue 24 Nov 09:00  north  [####################]  40/40
    /// ```
    static func render(_ status: JSONObject) -> String {
        var text = "fairwayd \(status.display("version")), started \(WireTime.stamp(status.string("started_at")))\n"
        text += "Orders: \(status.display("queued")) queued, \(status.display("committed")) committed, "
        text += "\(status.display("delivered")) delivered"
        for key in ["failed", "cancelled", "overdue"] {
            if let n = status.int(key), n > 0 { text += ", \(n) \(key)" }
        }
        text += "; \(NumberText.count(status.int("customers") ?? 0, "customer"))\n"
        let depots = status.objects("depots")
        guard !depots.isEmpty else { return text }
        var depotTable = TextTable(columns: [
            .init("DEPOT"), .init("SLOT", .right), .init("CAPACITY", .right), .init("QUEUED UNITS", .right),
            .init("VIRTUAL TIME", .right),
        ])
        var slotTable = TextTable(columns: [
            .init("NEXT SLOTS (UTC)"), .init("DEPOT"), .init("FILL"), .init("USED", .right),
        ])
        for depot in depots {
            depotTable.append([
                depot.display("name"),
                depot.int("slot_length_s").map(NumberText.duration) ?? depot.display("slot_length_s"),
                depot.display("capacity_per_slot"),
                depot.display("queued_units"),
                NumberText.short(depot["virtual_time"]),
            ])
            for slot in depot.objects("next_slots") {
                let used = slot.int("used") ?? 0
                let capacity = slot.int("capacity") ?? depot.int("capacity_per_slot") ?? 0
                slotTable.append([
                    WireTime(slot.string("start"))?.shortDayAndClock ?? slot.display("start"),
                    depot.display("name"),
                    FillBar.bar(used: used, capacity: capacity),
                    FillBar.label(used: used, capacity: capacity),
                ])
            }
        }
        text += "\n" + depotTable.render()
        if !slotTable.rows.isEmpty { text += "\n" + slotTable.render() }
        var changeTable = TextTable(columns: [
            .init("CAPACITY CHANGES (UTC)"), .init("UNTIL"), .init("DEPOT"), .init("CAPACITY", .right), .init("REASON"),
        ])
        for depot in depots {
            for change in depot.objects("capacity_changes") {
                changeTable.append([
                    WireTime(change.string("start"))?.shortDayAndClock ?? change.display("start"),
                    WireTime(change.string("end"))?.shortDayAndClock ?? change.display("end"),
                    depot.display("name"), change.display("capacity"), change.display("reason"),
                ])
            }
        }
        if !changeTable.rows.isEmpty { text += "\n" + changeTable.render() }
        return text
    }
}
