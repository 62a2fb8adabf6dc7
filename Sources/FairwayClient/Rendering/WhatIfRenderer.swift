// A dry run's answer: what a submit would do, and whom it would push later.

import FairwayProtocol

/// Renders the answer to `submit` with `dry_run`.
enum WhatIfRenderer {
    /// A summary (accepted, duplicates, committed, queued; how many waiting
    /// orders move later and by how much), a table per tier, and with
    /// `listOrders` each order's answer and each order pushed later.
    static func render(_ fields: JSONObject, listOrders: Bool) -> String {
        let results = fields.objects("results")
        let displaced = fields.objects("displaced")
        let count = fields.int("displaced_count") ?? displaced.count
        let tiers = fields.objects("by_tier")
        var states: [String: Int] = [:]
        for r in results where r.bool("duplicate") != true { states[r.string("state") ?? "unknown", default: 0] += 1 }
        var text = "Dry run, nothing was stored: \(NumberText.count(results.count, "order")) would give "
        text += "\(fields.int("accepted") ?? 0) accepted, \(NumberText.count(fields.int("duplicates") ?? 0, "duplicate"))"
        text += "; \(states["committed"] ?? 0) committed, \(states["queued"] ?? 0) queued.\n"
        if count == 0 {
            text += "No order already waiting would move later.\n"
        } else {
            let total = tiers.reduce(0) { $0 + ($1.int("delay_mean_s") ?? 0) * ($1.int("displaced") ?? 0) }
            let longest = tiers.map { $0.int("delay_max_s") ?? 0 }.max() ?? 0
            text += "\(NumberText.count(count, "order")) already waiting would move later: "
            text += "by \(delay(total / max(count, 1))) on average, \(delay(longest)) at most.\n"
        }
        if !tiers.isEmpty {
            var table = TextTable(columns: [
                .init("TIER"), .init("COMMITTED", .right), .init("QUEUED", .right), .init("PUSHED LATER", .right),
                .init("MEAN DELAY", .right), .init("MAX DELAY", .right),
            ])
            for t in tiers {
                let pushed = t.int("displaced") ?? 0
                table.append([
                    t.display("tier"), t.display("committed"), t.display("queued"), String(pushed),
                    pushed == 0 ? "-" : delay(t.int("delay_mean_s") ?? 0), pushed == 0 ? "-" : delay(t.int("delay_max_s") ?? 0),
                ])
            }
            text += "\n" + table.render()
        }
        guard listOrders else { return text }
        var orders = TextTable(columns: [.init("ORDER"), .init("WOULD BE"), .init("SLOT")])
        for r in results {
            orders.append([
                r.display("order_id"), r.bool("duplicate") == true ? "duplicate" : r.display("state"),
                WireTime.slot(start: r.string("slot_start"), end: r.string("slot_end")),
            ])
        }
        text += "\n" + orders.render()
        if !displaced.isEmpty {
            text += "\n" + displacedTable(displaced, title: "PUSHED LATER")
            if count > displaced.count { text += "(the first \(displaced.count) of \(count) in service order)\n" }
        }
        return text
    }

    /// The `displaced` entries of an answer as a table: order, slot before,
    /// slot after, and by how much.
    static func displacedTable(_ displaced: [JSONObject], title: String, indent: String = "") -> String {
        var table = TextTable(columns: [.init(title), .init("FROM"), .init("TO"), .init("BY", .right)])
        table.indent = indent
        for d in displaced {
            let from = WireTime(d.string("from_slot"))
            let to = WireTime(d.string("to_slot"))
            table.append([
                d.display("order_id"), from?.shortDayAndClock ?? d.display("from_slot"),
                to?.shortDayAndClock ?? d.display("to_slot"),
                from.flatMap { f in to.map { delay(Int($0.seconds - f.seconds)) } } ?? "-",
            ])
        }
        return table.render()
    }

    /// A delay for a person: `2h`, `1d 3h`, `45m`.
    static func delay(_ seconds: Int) -> String {
        guard seconds > 0 else { return "0" }
        let days = seconds / 86_400, hours = seconds % 86_400 / 3600, minutes = seconds % 3600 / 60
        var parts: [String] = []
        if days > 0 { parts.append("\(days)d") }
        if hours > 0 { parts.append("\(hours)h") }
        if minutes > 0 && days == 0 { parts.append("\(minutes)m") }
        return parts.isEmpty ? "\(seconds)s" : parts.joined(separator: " ")
    }
}
