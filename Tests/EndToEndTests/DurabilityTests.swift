import FairwayProtocol
import Foundation
import Synchronization
import Testing

/// Restarts, SIGTERM and kill -9: what was acknowledged is kept.
@Suite struct DurabilityTests {
    @Test func aRestartKeepsEveryOrderAndEveryPromise() throws {
        let d = try DaemonFixture()
        var c = try d.client()
        _ = try c.call(submitJSON((0..<60).map { orderJSON("O-\($0)", "C-\($0 % 7)", units: 1 + $0 % 2, tier: ["gold", "standard", "platinum"][$0 % 3]) }))
        _ = try c.call(["op": "complain", "order_id": "O-5"])
        _ = try c.call(["op": "cancel", "order_id": "O-6"])
        let schedule = try c.call(["op": "schedule"])["slots"]!
        let queue = try c.call(["op": "queue", "limit": 1000])["orders"]!
        let order = try c.call(["op": "order", "order_id": "O-5"])["order"]!
        #expect(d.stop() == 0)
        try d.start()
        c = try d.client()
        #expect(try c.call(["op": "schedule"])["slots"]! == schedule)
        #expect(try c.call(["op": "queue", "limit": 1000])["orders"]! == queue)
        #expect(try c.call(["op": "order", "order_id": "O-5"])["order"]! == order)
        #expect(try c.call(["op": "order", "order_id": "O-6"])["order"]!.objectValue!["state"] == "cancelled")
    }

    @Test func killNineDuringBatchedIngestLosesNoAcknowledgedOrder() throws {
        let d = try DaemonFixture(config: DaemonFixture.defaultConfig.replacingOccurrences(of: "capacity = 10", with: "capacity = 1000"))
        let acknowledged = Mutex<[String: Int]>([:])  // order id -> units
        let stop = Atomic<Bool>(false)
        let rounds = 3
        for round in 0..<rounds {
            stop.store(false, ordering: .relaxed)
            let threads = (0..<3).map { t in
                Thread {
                    guard let c = try? d.client() else { return }
                    var batch = 0
                    while !stop.load(ordering: .relaxed) {
                        let ids = (0..<200).map { "K\(round)-\(t)-\(batch)-\($0)" }
                        let orders = ids.enumerated().map { orderJSON($0.element, "C-\($0.offset % 17)", units: 1 + $0.offset % 3) }
                        guard let r = try? c.call(submitJSON(orders), timeout: 10), r.isOK else { return }
                        acknowledged.withLock { a in for (i, id) in ids.enumerated() { a[id] = 1 + i % 3 } }
                        batch += 1
                    }
                }
            }
            threads.forEach { $0.start() }
            usleep(useconds_t(150_000 + round * 120_000))
            d.kill9()
            stop.store(true, ordering: .relaxed)
            usleep(300_000)
            try d.start()
        }
        let c = try d.client()
        let ack = acknowledged.withLock { $0 }
        #expect(ack.count > 200, "too few orders were acknowledged to test anything: \(ack.count)")
        // Every acknowledged order is there with its content (pipelined in chunks).
        let ids = Array(ack.keys)
        var found = 0
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let part = ids[chunk..<min(chunk + 500, ids.count)]
            var bytes: [UInt8] = []
            for id in part { let req: JSON = ["op": "order", "order_id": .string(id)]; bytes += req.serialized() + [10] }
            try c.sendRaw(bytes)
            for _ in part {
                let r = try c.receive()
                if r.isOK, let o = r["order"]?.objectValue, let id = o["order_id"]?.stringValue, o["units"] == JSON(ack[id]!) { found += 1 }
            }
        }
        #expect(found == ack.count)
        let status = try c.call(["op": "status"])
        #expect(status["queued"]!.intValue! + status["committed"]!.intValue! >= ack.count)
    }
}
