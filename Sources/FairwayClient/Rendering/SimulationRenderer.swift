// The scenario report as tables for a person.

import FairwayCore
import FairwaySimulation

/// Renders `simulate`'s report: one row per policy, then the waits per tier.
enum SimulationRenderer {
    static func render(_ reports: [PolicyReport], results: [ReplayResult]) -> String {
        guard let first = results.first, let report = reports.first else { return "The trace holds no events.\n" }
        let lengths = Set(first.config.depots.map(\.slotLength))
        let slotText = lengths.count == 1 ? "slots of \(NumberText.duration(Int(lengths.first!)))" : "slots of each depot's length"
        let events = first.outcomes.count
        var text = "Replayed \(NumberText.count(events, "order")) from \(first.start) to \(first.end) (the queue ran empty).\n"
        text += "Waits are in \(slotText), from the slot an order was cleared in to its delivery slot.\n\n"
        var table = TextTable(columns: [
            .init("policy"), .init("placed", .right), .init("wait, value-weighted", .right), .init("max wait", .right),
            .init("vocal advantage", .right), .init("deadlines missed", .right), .init("promises moved", .right),
            .init("on time to 1st promise", .right), .init("slot use", .right),
        ])
        for r in reports {
            table.append([
                r.policy, "\(r.placed) of \(r.orders)", decimal(r.vwMeanWait), r.maxWait.map(String.init) ?? "-",
                r.vocalAdvantage.map { decimal($0) + "x" } ?? "-", "\(r.deadlineMissed) of \(r.deadlines)", "\(r.promisesMoved)",
                percent(r.onTimeToFirstPromise), percent(r.utilisation),
            ])
        }
        text += table.render()
        if report.expedites.asked > 0 {
            text += "\nExpedites, of \(report.expedites.asked) in the trace (the daemon's expedite under every policy):\n"
            var tally = TextTable(columns: [.init("policy"), .init("honoured", .right), .init("over budget", .right), .init("already promised", .right)])
            for r in reports {
                tally.append([r.policy, "\(r.expedites.honoured)", "\(r.expedites.overBudget)", "\(r.expedites.notQueued)"])
            }
            text += tally.render()
        }
        text += "\nWait per tier, in slots (mean / 95th percentile / max):\n"
        var tiers = TextTable(columns: [.init("tier")] + reports.map { .init($0.policy, .right) })
        let names = report.tiers.map(\.tier) + reports.flatMap { $0.tiers.map(\.tier) }.filter { name in !report.tiers.contains { $0.tier == name } }
        var seen: Set<String> = []
        for name in names where seen.insert(name).inserted {
            tiers.append([name] + reports.map { r in
                r.tiers.first { $0.tier == name }.map { "\(decimal($0.mean)) / \($0.p95) / \($0.max)" } ?? "-"
            })
        }
        text += tiers.render()
        text += "\nvocal advantage: how much longer customers who never complained waited than those who did,\n"
        text += "tier by tier (1.00x: complaining buys nothing).\n"
        return text
    }

    static func decimal(_ x: Double?) -> String {
        guard let x else { return "-" }
        let hundredths = Int((x * 100).rounded())
        let frac = hundredths.magnitude % 100
        return "\(hundredths < 0 ? "-" : "")\(hundredths.magnitude / 100).\(frac < 10 ? "0" : "")\(frac)"
    }

    static func percent(_ x: Double?) -> String {
        guard let x else { return "-" }
        let tenths = Int((x * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
