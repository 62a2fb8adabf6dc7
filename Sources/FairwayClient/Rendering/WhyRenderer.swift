// Why an order is not earlier: the sentence first, then the numbers behind it.

import FairwayProtocol

/// Renders a `why` answer.
enum WhyRenderer {
    /// ```
    /// SO-240123 is planned for 2026-11-24 11:00-12:00 UTC at depot north, 58th in line. ...
    ///   Reasons:      capacity, fair_share
    ///   Earliest slot: Tue 24 Nov 2026 09:00 UTC     Full slots: 2
    ///   Ahead:        57 orders, 114 units (12 platinum, 45 gold)
    ///   Tag:          12.5 (weight 1; the depot's virtual time is 10.25)
    ///   Expedite:     would give Tue 24 Nov 09:00, moving 4 orders later
    /// ```
    static func render(_ why: JSONObject) -> String {
        var text = why.display("text") + "\n"
        func row(_ label: String, _ value: String) { text += "  " + label.padding(to: 15) + value + "\n" }
        let reasons = (why["reasons"]?.arrayValue ?? []).compactMap(\.stringValue)
        row("Reasons:", reasons.isEmpty ? "-" : reasons.joined(separator: ", "))
        row("Earliest slot:", WireTime.stamp(why.string("earliest_slot")))
        if why.string("state") == "queued" || why.string("state") == "committed" {
            row("Full slots:", why.display("full_slots"))
        }
        if let ahead = why.object("ahead"), why.string("state") == "queued" {
            let tiers = why.objects("ahead_by_tier").map { "\($0.display("orders")) \($0.display("tier"))" }
            row("Ahead:", "\(NumberText.count(ahead.int("orders") ?? 0, "order")), \(NumberText.count(ahead.int("units") ?? 0, "unit"))"
                + (tiers.isEmpty ? "" : " (\(tiers.joined(separator: ", ")))"))
        }
        row("Tag:", "\(NumberText.short(why["tag"])) (weight \(why.display("weight")); the depot's virtual time is \(NumberText.short(why["virtual_time"])))")
        if why.string("state") == "queued" {
            if let e = why.object("expedite") {
                row("Expedite:", "would give \(WireTime.stamp(e.string("slot_start"))), moving \(NumberText.count(e.int("displaced") ?? 0, "order")) later")
            } else {
                row("Expedite:", "would not bring it earlier now")
            }
        }
        return text
    }
}
