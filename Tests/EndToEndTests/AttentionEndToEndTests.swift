import FairwayProtocol
import Foundation
import Testing

/// `why`, `at_risk`, `overdue`, `customer` with its orders and `submit`'s
/// `at_risk` against the real daemon, over the wire and through fairwayctl.
@Suite struct AttentionEndToEndTests {
    func ctl(_ d: DaemonFixture, _ args: [String]) throws -> (Int32, String, String) {
        try CommandLineTests().ctl(d, args)
    }

    @Test func whyAtRiskAndCustomerAnswerAsDocumented() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        // Two promised slots of 10 units; a deadline long past; an order queued behind gold ones.
        let first = try c.call(submitJSON(
            [orderJSON("P-1", "C-1", units: 10, extra: [("deadline", "2020-01-01T00:00:00Z"), ("notes", "deal: free install")])]))
        #expect(first["results"]!.arrayValue![0].objectValue!["at_risk"] == .bool(true))
        let submit = try c.call(submitJSON(
            (0..<3).map { orderJSON("G-\($0)", "CG-\($0)", units: 10, tier: "gold") }
                + [orderJSON("S-1", "C-1", units: 5, extra: [("deadline", "2030-01-01T00:00:00Z")])]))
        #expect(submit.isOK)
        let results = submit["results"]!.arrayValue!.map { $0.objectValue! }
        #expect(results.map { $0["at_risk"] } == [.bool(false), .bool(false), .bool(false), .bool(false)])

        let why = try c.call(["op": "why", "order_id": "S-1"])["why"]!.objectValue!
        #expect(why["state"] == "queued")
        #expect(why["position"] == JSON(2))
        #expect(why["ahead"]!.objectValue!["orders"] == JSON(2))
        #expect(why["ahead"]!.objectValue!["units"] == JSON(20))
        #expect(why["ahead_by_tier"] == .array([["tier": "gold", "orders": JSON(2), "units": JSON(20)]]))
        #expect(why["reasons"] == .array(["capacity", "fair_share"]))
        #expect(why["full_slots"] == JSON(4))
        #expect(why["expedite"] == .null)
        #expect(why["text"]!.stringValue!.contains("2 orders (20 units)"))
        #expect(why["earliest_slot"]!.stringValue!.hasSuffix(":00:00Z"))
        let promised = try c.call(["op": "why", "order_id": "P-1"])["why"]!.objectValue!
        #expect(promised["reasons"] == .array(["promised", "lead"]))
        #expect(promised["expedite"] == nil)

        #expect(try c.call(["op": "why", "order_id": "nope"]).errorCode == "not_found")
        #expect(try c.call(["op": "why"]).errorCode == "invalid_argument")
        #expect(try c.call(["op": "why", "order_id": "P-1", "depot": "main"]).errorCode == "invalid_argument")

        let risk = try c.call(["op": "at_risk"])
        #expect(risk["count"] == JSON(1))
        let listed = risk["orders"]!.arrayValue!.map { $0.objectValue! }
        #expect(listed.map { $0["order_id"] } == ["P-1"])
        #expect(listed[0]["notes"] == "deal: free install")
        #expect(try c.call(["op": "at_risk", "depot": "south"])["count"] == JSON(0))
        #expect(try c.call(["op": "at_risk", "depot": "nowhere"]).errorCode == "not_found")
        #expect(try c.call(["op": "at_risk", "limit": 0]).errorCode == "invalid_argument")
        #expect(try c.call(["op": "at_risk", "limit": "x"]).errorCode == "invalid_argument")

        let customer = try c.call(["op": "customer", "customer_id": "C-1", "limit": 1])["customer"]!.objectValue!
        #expect(customer["failed"] == JSON(0) && customer["cancelled"] == JSON(0) && customer["overdue"] == JSON(0))
        let recent = customer["orders"]!.arrayValue!.map { $0.objectValue! }
        #expect(recent.count == 1)
        #expect(Set(recent[0].keys) == ["order_id", "state", "depot", "units", "slot_start", "slot_end", "outcome", "at_risk", "overdue"])
        #expect(try c.call(["op": "customer", "customer_id": "C-1"])["customer"]!.objectValue!["orders"]!.arrayValue!.count == 2)
        #expect(try c.call(["op": "customer", "customer_id": "C-1", "limit": 1001]).errorCode == "invalid_argument")
        #expect(try c.call(["op": "order", "order_id": "P-1"])["order"]!.objectValue!["overdue"] == .bool(false))

        let (whyStatus, whyText, _) = try ctl(d, ["why", "S-1"])
        #expect(whyStatus == 0)
        #expect(whyText.contains("capacity, fair_share"))
        let (orderStatus, orderText, _) = try ctl(d, ["order", "S-1"])
        #expect(orderStatus == 0)
        #expect(orderText.contains("Why not earlier: S-1 is planned for"))
        let (riskStatus, riskText, _) = try ctl(d, ["at-risk"])
        #expect(riskStatus == 0)
        #expect(riskText.contains("P-1") && riskText.contains("deal: free install"))
        let (customerStatus, customerText, _) = try ctl(d, ["customer", "C-1"])
        #expect(customerStatus == 0)
        #expect(customerText.contains("Recent orders") && customerText.contains("S-1") && customerText.contains("AT RISK"))
        #expect(try ctl(d, ["why"]).0 == 2)
        #expect(try ctl(d, ["why", "nope"]).0 == 1)
    }

    @Test func submitSaysOnStandardErrorWhichAcceptedOrdersMissTheirDeadline() throws {
        let d = try DaemonFixture()
        let csv = d.dir.path + "/late.csv"
        var lines = ["order_id,customer_id,units,deadline"]
        for i in 0..<8 { lines.append("L-\(i),C-\(i),1,2020-01-0\(i + 1)T00:00:00Z") }
        lines.append("OK-1,C-9,1,")
        try (lines.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let (status, out, err) = try ctl(d, ["submit", csv])
        #expect(status == 0)
        #expect(out.contains("9 accepted"))
        #expect(!out.contains("deadline"))
        #expect(err.contains("8 accepted orders already miss their deadline; the first 5:"))
        #expect(err.contains("L-0") && err.contains("2020-01-01 00:00 UTC"))
        #expect(!err.contains("OK-1"))
        // Submitting again: only duplicates, nothing newly accepted misses anything.
        let (_, _, again) = try ctl(d, ["submit", csv])
        #expect(!again.contains("miss"))
    }

    @Test func aPromiseWhoseSlotEndedWithoutAnOutcomeIsOverdue() throws {
        let d = try DaemonFixture(config: DaemonFixture.twoSecondSlots(capacity: 10))
        let c = try d.client()
        #expect(try c.call(submitJSON([orderJSON("O-1", "C-1"), orderJSON("O-2", "C-1")])).isOK)
        var overdue = try c.call(["op": "overdue"])
        let deadline = Date().addingTimeInterval(10)
        while overdue["count"] != JSON(2) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            overdue = try c.call(["op": "overdue"])
        }
        #expect(overdue["count"] == JSON(2))
        #expect(overdue["orders"]!.arrayValue!.map { $0.objectValue!["order_id"] } == ["O-1", "O-2"])
        #expect(try c.call(["op": "order", "order_id": "O-1"])["order"]!.objectValue!["overdue"] == .bool(true))
        #expect(try c.call(["op": "customer", "customer_id": "C-1"])["customer"]!.objectValue!["overdue"] == JSON(2))
        #expect(try c.call(["op": "deliver", "order_id": "O-1"]).isOK)
        let after = try c.call(["op": "overdue", "limit": 1, "depot": "main"])
        #expect(after["count"] == JSON(1))
        #expect(after["orders"]!.arrayValue!.map { $0.objectValue!["order_id"] } == ["O-2"])
        #expect(try c.call(["op": "overdue", "depot": "nowhere"]).errorCode == "not_found")
        #expect(try c.call(["op": "overdue", "limit": 10001]).errorCode == "invalid_argument")
        let (status, text, _) = try ctl(d, ["overdue"])
        #expect(status == 0)
        #expect(text.contains("O-2") && text.contains("1 order overdue"))
    }
}

extension DaemonFixture {
    /// One depot `main` of 2-second slots, the slot now running bookable and
    /// promised, one tier `standard`: slots end while a test watches.
    static func twoSecondSlots(capacity: Int) -> String {
        """
        [scheduling]
        default-depot = main
        default-tier = standard
        commit-horizon = 1
        lead-slots = 0
        [tier.standard]
        weight = 1
        [depot.main]
        slot-length = 2s
        capacity = \(capacity)
        """
    }
}
