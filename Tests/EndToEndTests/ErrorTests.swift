import FairwayProtocol
import Foundation
import Testing

/// Every error code the core can produce, and that a failed request changes nothing.
@Suite struct ErrorTests {
    @Test func badInputGetsAClearErrorAndTheConnectionStaysUsable() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        try c.sendRaw(Array("{not json\n".utf8))
        var r = try c.receive()
        #expect(r.errorCode == "bad_json")
        #expect(r["id"] == .null)
        try c.sendRaw([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D, 0x0A])  // invalid UTF-8
        #expect(try c.receive().errorCode == "bad_json")
        try c.sendRaw(Array("[1,2,3]\n".utf8))
        #expect(try c.receive().errorCode == "bad_json")
        r = try c.call(["id": "a", "op": "fly"])
        #expect(r.errorCode == "unknown_op")
        #expect(r["id"] == "a")
        r = try c.call(["id": ["nested": [1, 2]], "op": "order"])
        #expect(r.errorCode == "invalid_argument")
        #expect(r.errorMessage.contains("order_id"))
        #expect(r["id"] == ["nested": [1, 2]])
        r = try c.call(["op": "order", "order_id": "nope"])
        #expect(r.errorCode == "not_found")
        r = try c.call(["op": "queue", "depot": "atlantis"])
        #expect(r.errorCode == "not_found")
        r = try c.call(["op": "queue", "after": "nope"])
        #expect(r.errorCode == "not_found")
        r = try c.call(["op": "queue", "limit": 0])
        #expect(r.errorCode == "invalid_argument")
        #expect(r.errorMessage.contains("limit"))
        r = try c.call(["op": "schedule", "from": "yesterday"])
        #expect(r.errorCode == "invalid_argument")
        #expect(r.errorMessage.contains("from"))
        r = try c.call(["op": "customer", "customer_id": "nobody"])
        #expect(r.errorCode == "not_found")
        r = try c.call(["op": "status", "verbose": true])
        #expect(r.errorCode == "invalid_argument")
        #expect(r.errorMessage.contains("verbose"))
        // deliver and cancel take only open orders.
        _ = try c.call(submitJSON([orderJSON("D-1", "C")]))
        #expect(try c.call(["op": "deliver", "order_id": "D-1"]).isOK)
        r = try c.call(["op": "deliver", "order_id": "D-1"])
        #expect(r.errorCode == "conflict")
        r = try c.call(["op": "cancel", "order_id": "D-1"])
        #expect(r.errorCode == "conflict")
        #expect(try c.call(["op": "status"]).isOK)
    }

    @Test func aBatchWithOneBadOrderStoresNothingAndNamesEveryProblem() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        let batch = submitJSON([
            orderJSON("A-1", "C-1"),
            orderJSON("A-2", "C-2", units: 0),
            orderJSON("A-3", "C-3", depot: "atlantis"),
            orderJSON("A-4", "C-4", tier: "diamond"),
            orderJSON("A-5", "C-5", units: 11),  // more than one slot of main holds
            orderJSON("A-6", "C-6", extra: [("colour", "red")]),
            orderJSON("A-7", "C-7", extra: [("cleared_at", "2999-01-01T00:00:00Z")]),
            .object(["customer_id": "C-8"]),
            orderJSON("A-9", "C-9", extra: [("not_before", "soon")]),
            "not an order",
        ])
        let r = try c.call(batch)
        #expect(r.errorCode == "invalid_argument")
        let m = r.errorMessage
        for needle in ["orders[1] (order_id A-2): units", "orders[2] (order_id A-3): depot", "orders[3] (order_id A-4): tier",
                       "orders[4] (order_id A-5): units", "orders[5] (order_id A-6): colour", "orders[6] (order_id A-7): cleared_at",
                       "orders[7]: order_id", "orders[8] (order_id A-9): not_before", "orders[9]"] {
            #expect(m.contains(needle), "message lacks \(needle): \(m)")
        }
        #expect(!m.contains("orders[0]"))
        #expect(try c.call(["op": "order", "order_id": "A-1"]).errorCode == "not_found")
        #expect(try c.call(["op": "status"])["queued"] == JSON(0))
        #expect(try c.call(["op": "status"])["committed"] == JSON(0))
        // Empty and oversized batches.
        #expect(try c.call(submitJSON([])).errorCode == "invalid_argument")
        let big = submitJSON((0..<10_001).map { orderJSON("B-\($0)", "C") })
        #expect(try c.call(big).errorCode == "invalid_argument")
    }

    @Test func resubmittingIsIdempotentAndDifferentContentIsAConflict() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        let first = try c.call(submitJSON([orderJSON("R-1", "C-1", units: 2, tier: "gold", extra: [("cleared_at", "2026-01-01T10:00:00Z")])]))
        #expect(first["accepted"] == JSON(1))
        // Same content; omitted cleared_at and tier match what is stored; times compare as instants.
        let again = try c.call(submitJSON([
            orderJSON("R-1", "C-1", units: 2),
            orderJSON("R-1", "C-1", units: 2, tier: "gold", extra: [("cleared_at", "2026-01-01T11:00:00+01:00")]),
        ]))
        #expect(again.isOK)
        #expect(again["accepted"] == JSON(0))
        #expect(again["duplicates"] == JSON(2))
        #expect(again["results"]!.arrayValue!.allSatisfy { $0.objectValue!["duplicate"] == .bool(true) })
        // Different content: conflict, and the whole submit stores nothing.
        let conflict = try c.call(submitJSON([orderJSON("N-1", "C-9"), orderJSON("R-1", "C-1", units: 3)]))
        #expect(conflict.errorCode == "conflict")
        #expect(conflict.errorMessage.contains("R-1"))
        #expect(conflict.errorMessage.contains("units"))
        #expect(try c.call(["op": "order", "order_id": "N-1"]).errorCode == "not_found")
        // The same id twice in one submit: duplicate if equal, else conflict.
        let twice = try c.call(submitJSON([orderJSON("T-1", "C"), orderJSON("T-1", "C")]))
        #expect(twice["accepted"] == JSON(1))
        #expect(twice["duplicates"] == JSON(1))
        let clash = try c.call(submitJSON([orderJSON("T-2", "C"), orderJSON("T-2", "D")]))
        #expect(clash.errorCode == "conflict")
        #expect(try c.call(["op": "order", "order_id": "T-2"]).errorCode == "not_found")
    }

    @Test func anOverlongLineIsRefusedAndTheConnectionClosed() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        #expect(try c.call(["op": "status"]).isOK)
        try c.sendRaw([UInt8](repeating: 0x20, count: 1_048_577))
        let r = try c.receive()
        #expect(r.errorCode == "line_too_long")
        #expect(try c.readLine() == nil)
        // Exactly the limit is fine: a 1,048,576-byte line (a valid request padded with spaces).
        let c2 = try d.client()
        var line = Array(#"{"op":"status"}"#.utf8)
        line += [UInt8](repeating: 0x20, count: 1_048_576 - line.count)
        try c2.sendRaw(line + [10])
        #expect(try c2.receive().isOK)
    }
}

@Suite struct SlowClientTests {
    @Test func aClientThatSendsHalfALineAndFallsSilentIsDisconnectedAndOthersAreServed() throws {
        let d = try DaemonFixture(config: DaemonFixture.defaultConfig + "\n[limits]\npartial-line-timeout = 1s\n")
        let silent = try d.client()
        try silent.sendRaw(Array(#"{"op":"sta"#.utf8))
        let other = try d.client()
        #expect(try other.call(["op": "status"], timeout: 5).isOK)
        // Within a few seconds the silent one gets an error line and is closed.
        let r = try silent.receive(timeout: 10)
        #expect(r.errorCode == "invalid_argument")
        #expect(try silent.readLine(timeout: 10) == nil)
        #expect(try other.call(["op": "status"], timeout: 5).isOK)
    }

    @Test func aClientThatNeverReadsDoesNotBlockOthers() throws {
        let d = try DaemonFixture()
        let path = d.socketPath
        // Send without reading; the daemon pauses reading from it when its answers pile up.
        let sender = Thread {
            guard let greedy = try? Client(path: path) else { return }
            let req: JSON = ["op": "status"]
            var bytes: [UInt8] = []
            for _ in 0..<20_000 { bytes += req.serialized() + [10] }
            try? greedy.sendRaw(bytes)
        }
        sender.start()
        usleep(300_000)
        let other = try d.client()
        for _ in 0..<20 { #expect(try other.call(["op": "status"], timeout: 5).isOK) }
    }
}
