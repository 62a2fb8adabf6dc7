// An expedite's answer and the expedite ledger.

import FairwayProtocol

/// Renders `expedite` and `expedites` answers.
enum ExpediteRenderer {
    /// Where the order went, the slot's budget left, and whom it displaced.
    static func render(_ fields: JSONObject) -> String {
        let dryRun = fields.bool("dry_run") == true
        let order = fields.object("order") ?? JSONObject()
        let slot = fields.object("slot") ?? JSONObject()
        let id = order.display("order_id")
        var text = dryRun ? "Dry run, nothing was changed: order \(id) would go" : "Order \(id) expedited"
        text += " to \(WireTime.slot(start: slot.string("start"), end: slot.string("end")))"
        text += slot.bool("committed") == true ? " (promised).\n" : " (projected, at the head of the queue).\n"
        let units = slot.int("budget_units") ?? 0
        text += "Expedite budget of that slot: \(slot.int("expedited_units") ?? 0) of \(units) units used, "
        text += "\(slot.int("budget_left") ?? 0) left (capacity \(slot.int("capacity") ?? 0)).\n"
        let displaced = fields.objects("displaced")
        let count = fields.int("displaced_count") ?? displaced.count
        guard count > 0 else { return text + "No waiting order \(dryRun ? "would move" : "moved") later.\n" }
        text += "\(NumberText.count(count, "waiting order")) \(dryRun ? "would move" : "moved") later:\n"
        text += WhatIfRenderer.displacedTable(displaced, title: "ORDER", indent: "  ")
        if count > displaced.count { text += "  (the first \(displaced.count) of \(count))\n" }
        return text
    }

    /// The ledger, oldest first.
    static func ledger(_ entries: [JSONObject]) -> String {
        guard !entries.isEmpty else { return "No expedites in that range.\n" }
        var table = TextTable(columns: [
            .init("AT (UTC)"), .init("ORDER"), .init("DEPOT"), .init("SLOT (UTC)"), .init("DISPLACED", .right), .init("BY"),
            .init("REASON"),
        ])
        for e in entries {
            table.append([
                WireTime.stamp(e.string("at")).replacingSuffix(" UTC"), e.display("order_id"), e.display("depot"),
                WireTime(e.string("slot_start"))?.shortDayAndClock ?? e.display("slot_start"), e.display("displaced_count"),
                e.display("actor"), e.display("reason"),
            ])
        }
        return table.render() + "\(NumberText.count(entries.count, "expedite")), "
            + "\(entries.reduce(0) { $0 + ($1.int("displaced_count") ?? 0) }) waiting orders displaced in all.\n"
    }
}

extension String {
    /// The string without `suffix` at its end, when it has it.
    func replacingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
