// An order as an answer to a caller: who, state, slot or place, risk, notes.

import FairwayProtocol

/// Renders an order object from the daemon for a person.
enum OrderRenderer {
    /// The full block, e.g.
    /// ```
    /// Order SO-1042 for customer C-77 (gold, weight 8)
    ///   State:       committed — promised for Tue 24 Nov 2026 09:00–10:00 UTC (depot north)
    ///   Units:       3          Cleared:   2026-11-23 10:00 UTC
    ///   Complaints:  1          Deadline:  2026-11-30 00:00 UTC (on track)
    ///   Tag:         12.5       Received:  2026-11-23 10:00 UTC
    ///   Notes:       one-off deal: free install
    /// ```
    static func render(_ order: JSONObject) -> String {
        var text = "Order \(order.display("order_id")) for customer \(order.display("customer_id"))"
        text += " (\(order.display("tier")), weight \(order.display("weight")))\n"
        let labelWidth = 13
        func full(_ label: String, _ value: String) {
            let lines = value.split(separator: "\n", omittingEmptySubsequences: false)
            text += "  " + label.padding(to: labelWidth) + (lines.first.map(String.init) ?? "") + "\n"
            for more in lines.dropFirst() { text += "  " + "".padding(to: labelWidth) + more + "\n" }
        }
        full("State:", stateLine(order))
        if let outcome = order.string("outcome") {
            let when = order.string("closed_at").map { " at \(WireTime.stamp($0))" } ?? ""
            let reason = order.string("fail_reason").map { " (\($0))" } ?? ""
            full("Outcome:", outcome == "on_time" ? "on time" : outcome + reason + when)
        }
        if order.bool("overdue") == true { full("OVERDUE:", "its promised slot has ended and no outcome is recorded") }
        if let first = order.object("first_promise"), first.string("slot_start") != order.string("slot_start") {
            var line = WireTime.slot(start: first.string("slot_start"), end: first.string("slot_end"))
            if let moves = order.int("promise_moves"), moves > 0 {
                line += " (moved \(NumberText.count(moves, "time")) by capacity changes)"
            }
            full("1st promise:", line)
        }
        let attempts = order.objects("attempts")
        if !attempts.isEmpty {
            full("Attempts:", attempts.map { a in
                "\(WireTime.stamp(a.string("at"))) \(a.display("reason"))" + (a.string("note").map { ": \($0)" } ?? "")
            }.joined(separator: "\n"))
        }
        if order.bool("expedited") == true { full("Expedited:", "yes") }
        if let displaced = order.int("displaced"), displaced > 0 {
            full("Displaced:", "\(NumberText.count(displaced, "time")) by expedites")
        }
        if order.bool("at_risk") == true, let deadline = order.string("deadline") {
            let verb = order.string("state") == "committed" ? "promised" : "projected"
            full("AT RISK:", "\(verb) past deadline \(WireTime.stamp(deadline))")
        }
        var left: [(String, String)] = [
            ("Units:", order.display("units")),
            ("Complaints:", order.display("complaints")),
            ("Tag:", NumberText.short(order["tag"])),
        ]
        var right: [(String, String)] = [
            ("Cleared:", WireTime.stamp(order.string("cleared_at"))),
            ("Deadline:", deadlineText(order)),
            ("Received:", WireTime.stamp(order.string("received_at"))),
        ]
        if let notBefore = order.string("not_before") {
            right.append(("Not before:", WireTime.stamp(notBefore)))
        }
        while left.count < right.count { left.append(("", "")) }
        let leftWidth = max(left.map(\.1.count).max() ?? 0, 8) + 2
        let rightLabelWidth = (right.map(\.0.count).max() ?? 0) + 2
        for (l, r) in zip(left, right) {
            let line = "  " + l.0.padding(to: labelWidth) + l.1.padding(to: leftWidth)
                + r.0.padding(to: rightLabelWidth) + r.1
            text += line + "\n"
        }
        if let notes = order.string("notes") { full("Notes:", notes) }
        return text
    }

    /// What state the order is in, and what that means for its delivery:
    /// `committed — promised for Tue 24 Nov 2026 09:00–10:00 UTC (depot north)` or
    /// `queued — #14 in line in depot north (#1 is served next); projected for ... (not a promise yet)`.
    ///
    /// Positions are shown counting from 1, and say so (the wire's `position` counts from 0).
    static func stateLine(_ order: JSONObject) -> String {
        let state = order.display("state")
        let depot = order.display("depot")
        let hasSlot = order.string("slot_start") != nil
        let slot = WireTime.slot(start: order.string("slot_start"), end: order.string("slot_end"))
        switch state {
        case "committed":
            return hasSlot ? "committed — promised for \(slot) (depot \(depot))" : "committed (depot \(depot))"
        case "queued":
            var text = "queued — "
            if let position = order.int("position") {
                text += "#\(position + 1) in line in depot \(depot) (#1 is served next); "
            } else {
                text += "in depot \(depot); "
            }
            text += hasSlot ? "projected for \(slot) (not a promise yet)" : "no slot projected yet"
            return text
        case "delivered":
            return hasSlot ? "delivered — its slot was \(slot) (depot \(depot))" : "delivered (depot \(depot))"
        case "failed":
            return hasSlot ? "failed — delivery in \(slot) failed (depot \(depot))" : "failed (depot \(depot))"
        default:
            return hasSlot ? "\(state) — slot \(slot) (depot \(depot))" : "\(state) (depot \(depot))"
        }
    }

    /// `2026-11-30 00:00 UTC (on track)`, `... (AT RISK)`, or `none`.
    static func deadlineText(_ order: JSONObject) -> String {
        guard let deadline = order.string("deadline") else { return "none" }
        let stamp = WireTime.stamp(deadline)
        if order.bool("at_risk") == true { return "\(stamp) (AT RISK)" }
        switch order.string("state") {
        case "queued", "committed":
            return order.string("slot_start") == nil ? stamp : "\(stamp) (on track)"
        default:
            return stamp
        }
    }
}
