import FairwayProtocol
import Foundation
import Testing

/// Every operation of the contract against the real daemon.
@Suite struct OperationsTests {
    @Test func everyOperationAnswersAsTheContractSays() throws {
        let d = try DaemonFixture()
        let c = try d.client()

        let submit = try c.call(submitJSON([
            orderJSON("SO-1", "C-1", units: 3, tier: "gold", extra: [("notes", "one-off deal: free install"), ("deadline", "2030-01-01T00:00:00+01:00")]),
            orderJSON("SO-2", "C-2", tier: "platinum"),
            orderJSON("SO-3", "C-3", units: 2, depot: "south", extra: [("cleared_at", "2020-01-01T10:00:00.250Z")]),
        ], id: 7))
        #expect(submit.isOK)
        #expect(submit["id"] == JSON(7))
        #expect(submit["accepted"] == JSON(3))
        #expect(submit["duplicates"] == JSON(0))
        let results = submit["results"]!.arrayValue!
        #expect(results.count == 3)
        #expect(results.map { $0.objectValue!["order_id"]!.stringValue! } == ["SO-1", "SO-2", "SO-3"])
        for r in results {
            #expect(r.objectValue!["state"] == "committed")
            #expect(r.objectValue!["duplicate"] == .bool(false))
            #expect(r.objectValue!["slot_start"]!.stringValue!.hasSuffix(":00:00Z"))
        }

        let order = try c.call(["op": "order", "order_id": "SO-1"])["order"]!.objectValue!
        #expect(order["customer_id"] == "C-1")
        #expect(order["units"] == JSON(3))
        #expect(order["tier"] == "gold")
        #expect(order["weight"] == JSON(4))
        #expect(order["depot"] == "main")
        #expect(order["state"] == "committed")
        #expect(order["promised"] == .bool(true))
        #expect(order["position"] == .null)
        #expect(order["deadline"] == "2029-12-31T23:00:00Z")
        #expect(order["notes"] == "one-off deal: free install")
        #expect(order["at_risk"] == .bool(false))
        #expect(order["complaints"] == JSON(0))
        #expect(order["tag"]?.doubleValue != nil)
        let so3 = try c.call(["op": "order", "order_id": "SO-3"])["order"]!.objectValue!
        #expect(so3["cleared_at"] == "2020-01-01T10:00:00Z")
        #expect(so3["depot"] == "south")

        // Fill the main depot's two promised slots (capacity 10 each), then queue more.
        let many = (0..<30).map { orderJSON("Q-\($0)", "CQ-\($0 % 5)", units: 1) }
        #expect(try c.call(submitJSON(many))["accepted"] == JSON(30))
        let queue = try c.call(["op": "queue", "limit": 5])
        let queued = queue["orders"]!.arrayValue!
        #expect(queued.count == 5)
        #expect(queued.enumerated().allSatisfy { $0.element.objectValue!["position"] == JSON($0.offset) })
        #expect(queued.allSatisfy { $0.objectValue!["state"] == "queued" && $0.objectValue!["promised"] == .bool(false) })
        let afterID = queued[4].objectValue!["order_id"]!
        let next = try c.call(["op": "queue", "after": afterID, "limit": 1])["orders"]!.arrayValue!
        #expect(next[0].objectValue!["position"] == JSON(5))

        let schedule = try c.call(["op": "schedule", "depot": "main"])["slots"]!.arrayValue!
        #expect(schedule.count >= 3)
        var total = 0
        for s in schedule.map({ $0.objectValue! }) {
            #expect(s["used"]!.intValue! <= s["capacity"]!.intValue!)
            total += s["orders"]!.arrayValue!.count
        }
        #expect(total == 32)
        #expect(schedule[0].objectValue!["committed"] == .bool(true))
        #expect(schedule.last!.objectValue!["committed"] == .bool(false))
        let everywhere = try c.call(["op": "schedule"])["slots"]!.arrayValue!
        #expect(everywhere.contains { $0.objectValue!["depot"] == "south" })

        let customer = try c.call(["op": "customer", "customer_id": "C-1"])["customer"]!.objectValue!
        #expect(customer["tier"] == "gold")
        #expect(customer["weight"] == JSON(4))
        #expect(customer["committed"] == JSON(1))

        let complained = try c.call(["op": "complain", "order_id": "SO-1", "channel": "phone", "note": "where is it?"])
        #expect(complained["order"]!.objectValue!["complaints"] == JSON(1))
        #expect(complained["order"]!.objectValue!["slot_start"] == order["slot_start"])
        #expect(try c.call(["op": "customer", "customer_id": "C-1"])["customer"]!.objectValue!["complaints"] == JSON(1))

        let delivered = try c.call(["op": "deliver", "order_id": "SO-1"])
        #expect(delivered["order"]!.objectValue!["state"] == "delivered")
        let cancelled = try c.call(["op": "cancel", "order_id": "SO-2", "reason": "customer moved"])
        #expect(cancelled["order"]!.objectValue!["state"] == "cancelled")
        let failed = try c.call(["op": "fail", "order_id": "SO-3", "reason": "customer_absent", "note": "nobody home"])
        #expect(failed["order"]!.objectValue!["state"] == "failed")
        #expect(failed["order"]!.objectValue!["fail_reason"] == "customer_absent")
        let history = try c.call(["op": "history", "order_id": "SO-1"])["events"]!.arrayValue!
        #expect(history.map { $0.objectValue!["kind"]!.stringValue! } == ["ingested", "committed", "complaint", "delivered"])

        let status = try c.call(["op": "status"])
        #expect(status["version"]?.stringValue != nil)
        #expect(status["started_at"]!.stringValue!.hasSuffix("Z"))
        #expect(status["delivered"] == JSON(1))
        #expect(status["queued"]!.intValue! + status["committed"]!.intValue! == 30)
        #expect(status["customers"] == JSON(8))
        let depots = status["depots"]!.arrayValue!.map { $0.objectValue! }
        #expect(depots.map { $0["name"]!.stringValue! } == ["main", "south"])
        #expect(depots[0]["capacity_per_slot"] == JSON(10))
        #expect(depots[0]["slot_length_s"] == JSON(3600))
        #expect(depots[0]["next_slots"]!.arrayValue!.count == 4)
        #expect(depots[0]["virtual_time"]?.doubleValue != nil)
        #expect(depots[0]["queued_units"]!.intValue! == status["queued"]!.intValue!)
        #expect(d.stop() == 0)
    }

    @Test func complaintsNeverMoveAnything() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        _ = try c.call(submitJSON((0..<40).map { orderJSON("O-\($0)", "C-\($0 % 9)", units: 1 + $0 % 3, tier: ["gold", "standard"][$0 % 2]) }))
        let before = try c.call(["op": "schedule"])["slots"]!
        let queueBefore = try c.call(["op": "queue", "limit": 100])["orders"]!.arrayValue!.map { $0.objectValue!["order_id"]! }
        for i in stride(from: 0, to: 40, by: 3) {
            #expect(try c.call(["op": "complain", "order_id": .string("O-\(i)"), "note": "angry"]).isOK)
        }
        #expect(try c.call(["op": "schedule"])["slots"]! == before)
        #expect(try c.call(["op": "queue", "limit": 100])["orders"]!.arrayValue!.map { $0.objectValue!["order_id"]! } == queueBefore)
    }
}
