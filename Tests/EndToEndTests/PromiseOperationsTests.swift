import FairwayProtocol
import Foundation
import Glibc
import Testing

/// Outcomes, retries and capacity changes against the real daemon.
@Suite struct PromiseOperationsTests {
    /// The start of the main depot's first bookable slot, from `status`.
    static func firstSlot(_ c: Client) throws -> String {
        let status = try c.call(["op": "status"])
        let main = try #require(status["depots"]?.arrayValue?.first?.objectValue)
        return try #require(main["next_slots"]?.arrayValue?.first?.objectValue?["start"]?.stringValue)
    }

    static func order(_ c: Client, _ id: String) throws -> JSONObject {
        try #require(try c.call(["op": "order", "order_id": .string(id)])["order"]?.objectValue)
    }

    static func after(_ time: String, hours: Int) -> String {
        let date = ISO8601DateFormatter().date(from: time)!.addingTimeInterval(Double(hours) * 3600)
        return ISO8601DateFormatter().string(from: date)
    }

    @Test func deliverAndFailRecordOutcomesAndRetriesAndRepeatsCountOnce() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        #expect(try c.call(submitJSON((0..<4).map { orderJSON("SO-\($0)", "C-\($0)") }))["accepted"] == JSON(4))
        let first = try Self.firstSlot(c)

        // deliver with `at`: on time by the end of the first promise.
        let now = ISO8601DateFormatter().string(from: Date())
        let delivered = try c.call(["op": "deliver", "order_id": "SO-0", "at": .string(now)])
        let o0 = try #require(delivered["order"]?.objectValue, "\(delivered)")
        #expect(o0["state"] == "delivered")
        #expect(o0["outcome"] == "on_time")
        #expect(o0["delivered_at"] == .string(now))
        #expect(o0["closed_at"] == .string(now))
        #expect(o0["first_promise"]?.objectValue?["slot_start"] == .string(first))
        // A repeat is a conflict and changes nothing.
        let again = try c.call(["op": "deliver", "order_id": "SO-0"])
        #expect(again.errorCode == "conflict")
        #expect(try Self.order(c, "SO-0")["delivered_at"] == .string(now))
        // `at` too far ahead or before cleared_at.
        #expect(try c.call(["op": "deliver", "order_id": "SO-1", "at": "2099-01-01T00:00:00Z"]).errorCode == "invalid_argument")
        #expect(try c.call(["op": "deliver", "order_id": "SO-1", "at": "2000-01-01T00:00:00Z"]).errorCode == "invalid_argument")
        #expect(try c.call(["op": "deliver", "order_id": "SO-1", "at": "noon"]).errorCode == "invalid_argument")

        // fail: the reason must be one of the config's.
        let noReason = try c.call(["op": "fail", "order_id": "SO-1"])
        #expect(noReason.errorCode == "invalid_argument")
        #expect(noReason.errorMessage.contains("customer_absent"))
        #expect(try c.call(["op": "fail", "order_id": "SO-1", "reason": "weather"]).errorCode == "invalid_argument")
        #expect(try c.call(["op": "fail", "order_id": "SO-1", "reason": "address", "retry": "yes"]).errorCode == "invalid_argument")
        #expect(try c.call(["op": "fail", "order_id": "NOPE", "reason": "address"]).errorCode == "not_found")
        #expect(try Self.order(c, "SO-1")["state"] == "committed")

        // A retry: back in line, committed again at once (its slot had room), attempt recorded.
        let at = ISO8601DateFormatter().string(from: Date())
        let retry: JSON = ["op": "fail", "order_id": "SO-1", "reason": "customer_absent", "note": "nobody home", "at": .string(at), "retry": true]
        let retried = try #require(try c.call(retry)["order"]?.objectValue)
        #expect(retried["state"] == "committed")
        #expect(retried["attempts"]?.arrayValue?.count == 1)
        #expect(retried["attempts"]?.arrayValue?.first?.objectValue?["note"] == "nobody home")
        #expect(retried["outcome"] == .null)
        // The same retry again counts once.
        #expect(try c.call(retry)["order"]?.objectValue?["attempts"]?.arrayValue?.count == 1)

        // A final failure.
        let failed = try #require(try c.call(["op": "fail", "order_id": "SO-2", "reason": "damaged", "note": "crushed"])["order"]?.objectValue)
        #expect(failed["state"] == "failed")
        #expect(failed["outcome"] == "failed")
        #expect(failed["fail_reason"] == "damaged")
        #expect(try c.call(["op": "fail", "order_id": "SO-2", "reason": "damaged"]).errorCode == "conflict")
        #expect(try c.call(["op": "cancel", "order_id": "SO-3"]).isOK)

        let status = try c.call(["op": "status"])
        #expect(status["delivered"] == JSON(1))
        #expect(status["failed"] == JSON(1))
        #expect(status["cancelled"] == JSON(1))
        #expect(status["overdue"] == JSON(0))
        let history = try c.call(["op": "history", "order_id": "SO-1"])["events"]!.arrayValue!
        #expect(history.contains { $0.objectValue?["kind"] == "retried" })

        // Everything survives kill -9.
        let before = try ["SO-0", "SO-1", "SO-2", "SO-3"].map { try Self.order(c, $0) }
        d.kill9()
        try d.start()
        let c2 = try d.client()
        let after = try ["SO-0", "SO-1", "SO-2", "SO-3"].map { try Self.order(c2, $0) }
        #expect(after == before)
        #expect(try c2.call(retry)["order"]?.objectValue?["attempts"]?.arrayValue?.count == 1)
    }

    @Test func aCapacityChangeMovesTheFewestPromisesAndSurvivesKill9() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        // 20 orders of 1 unit fill the two promised slots (capacity 10); 5 more wait.
        #expect(try c.call(submitJSON((0..<25).map { orderJSON("P-\($0)", "C-\($0)") }))["accepted"] == JSON(25))
        let first = try Self.firstSlot(c)
        let inFirst = try c.call(["op": "schedule", "depot": "main", "from": .string(first), "to": .string(Self.after(first, hours: 1))])
        let firstOrders = try #require(inFirst["slots"]?.arrayValue?.first?.objectValue?["orders"]?.arrayValue).map { $0.stringValue! }
        #expect(firstOrders.count == 10)

        let request: JSON = [
            "op": "capacity", "depot": "main", "from": .string(first), "to": .string(Self.after(first, hours: 1)),
            "capacity": 7, "reason": "truck 3 in repair",
        ]
        let answer = try c.call(request)
        #expect(answer.isOK, "\(answer)")
        let moved = try #require(answer["moved"]?.arrayValue).map { $0.objectValue! }
        // Three units too many: the last three in service order (all orders are of one unit).
        #expect(moved.map { $0["order_id"]!.stringValue! } == Array(firstOrders.suffix(3)))
        let third = Self.after(first, hours: 2)
        for m in moved {
            #expect(m["from_slot"] == .string(first))
            #expect(m["to_slot"] == .string(third))
        }
        #expect(answer["slots"] == JSON.array([["start": .string(first), "capacity": 7, "used": 7]]))
        let movedOrder = try Self.order(c, moved[0]["order_id"]!.stringValue!)
        #expect(movedOrder["state"] == "committed")
        #expect(movedOrder["promise_moves"] == JSON(1))
        #expect(movedOrder["slot_start"] == .string(third))
        #expect(movedOrder["first_promise"]?.objectValue?["slot_start"] == .string(first))
        let history = try c.call(["op": "history", "order_id": moved[0]["order_id"]!])["events"]!.arrayValue!
        #expect(history.contains { $0.objectValue?["kind"] == "promise_moved" })
        // The moved promises went ahead of every queued order.
        let queue = try c.call(["op": "queue", "depot": "main", "limit": 10])["orders"]!.arrayValue!
        #expect(queue.allSatisfy { $0.objectValue!["slot_start"]!.stringValue! >= third })

        let change = try c.call(["op": "status"])["depots"]?.arrayValue?.first?.objectValue?["capacity_changes"]
        #expect(change == JSON.array([["start": .string(first), "end": .string(Self.after(first, hours: 1)), "capacity": 7, "reason": "truck 3 in repair"]]))

        // The same change again: nothing more moves, nothing counts twice.
        let repeated = try c.call(request)
        #expect(repeated["moved"] == JSON.array([]))
        #expect(try Self.order(c, moved[0]["order_id"]!.stringValue!)["promise_moves"] == JSON(1))

        // kill -9 and restart: the same answers.
        let before = try c.call(["op": "schedule", "depot": "main"])
        let statusBefore = try c.call(["op": "status"])["depots"]
        d.kill9()
        try d.start()
        let c2 = try d.client()
        #expect(try c2.call(["op": "schedule", "depot": "main"])["slots"] == before["slots"])
        #expect(try c2.call(["op": "status"])["depots"] == statusBefore)
        #expect(try c2.call(request)["moved"] == JSON.array([]))

        // Raising it moves no promise; queued orders take the room.
        let raised = try c2.call(["op": "capacity", "depot": "main", "from": .string(first), "to": .string(Self.after(first, hours: 1)), "capacity": 12, "reason": "extra shift"])
        #expect(raised["moved"] == JSON.array([]))
        #expect(raised["slots"]?.arrayValue?.first?.objectValue?["used"] == JSON(12))
        // Without a capacity: the config's value again.
        let reset = try c2.call(["op": "capacity", "depot": "main", "from": .string(first), "to": .string(Self.after(first, hours: 1))])
        #expect(reset["slots"]?.arrayValue?.first?.objectValue?["capacity"] == JSON(10))
    }

    @Test func capacityErrorsNameWhatIsWrongAndChangeNothing() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        let first = try Self.firstSlot(c)
        let next = Self.after(first, hours: 1)
        func code(_ fields: [(String, JSON)]) throws -> (String?, String) {
            var o = JSONObject()
            o.append("op", "capacity")
            for (k, v) in fields { o.append(k, v) }
            let r = try c.call(.object(o))
            return (r.errorCode, r.errorMessage)
        }
        let range: [(String, JSON)] = [("from", .string(first)), ("to", .string(next))]
        #expect(try code([("depot", "nowhere")] + range + [("capacity", 1), ("reason", "x")]).0 == "not_found")
        #expect(try code(range + [("capacity", 1), ("reason", "x")]) .0 == "invalid_argument")
        #expect(try code([("depot", "main")] + range + [("capacity", 1)]).1.contains("reason"))
        #expect(try code([("depot", "main")] + range + [("capacity", -1), ("reason", "x")]).1.contains("capacity"))
        #expect(try code([("depot", "main")] + range + [("capacity", 100_000_001), ("reason", "x")]).0 == "invalid_argument")
        #expect(try code([("depot", "main"), ("from", .string(next)), ("to", .string(first)), ("capacity", 1), ("reason", "x")]).0 == "invalid_argument")
        #expect(try code([("depot", "main"), ("from", .string(first)), ("to", "2099-01-01T00:00:00Z"), ("capacity", 1), ("reason", "x")]).1.contains("10000"))
        #expect(try code([("depot", "main"), ("from", .string(first)), ("capacity", 1), ("reason", "x")]).1.contains("to"))
        #expect(try code([("depot", "main")] + range + [("capacity", 1), ("reason", "x"), ("slots", 3)]).0 == "invalid_argument")
        let status = try c.call(["op": "status"])["depots"]?.arrayValue?.first?.objectValue
        #expect(status?["capacity_changes"] == JSON.array([]))
    }
}
