import FairwayProtocol
import Foundation
import Synchronization
import Testing

@Suite struct ConcurrencyTests {
    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        var expected: [JSON] = []
        var bytes: [UInt8] = []
        for i in 0..<500 {
            let id = JSON(i)
            expected.append(id)
            let req: JSON = switch i % 4 {
            case 0: ["id": id, "op": "submit", "orders": [orderJSON("P-\(i)", "C-\(i % 13)")]]
            case 1: ["id": id, "op": "order", "order_id": .string("P-\(i - 1)")]
            case 2: ["id": id, "op": "bogus"]
            default: ["id": id, "op": "status"]
            }
            bytes += req.serialized() + [10]
        }
        try c.sendRaw(bytes)
        for (i, id) in expected.enumerated() {
            let r = try c.receive()
            #expect(r["id"] == id)
            switch i % 4 {
            case 1: #expect(r["order"]?.objectValue?["order_id"] == .string("P-\(i - 1)"))  // sees the submit before it
            case 2: #expect(r.errorCode == "unknown_op")
            default: #expect(r.isOK)
            }
        }
    }

    @Test func fiftyConcurrentClientsAreAllServed() throws {
        let d = try DaemonFixture(config: DaemonFixture.defaultConfig.replacingOccurrences(of: "capacity = 10", with: "capacity = 50"))
        let failures = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let threads = (0..<50).map { t in
            Thread {
                do {
                    let c = try d.client()
                    for b in 0..<10 {
                        let orders = (0..<20).map { orderJSON("M-\(t)-\(b)-\($0)", "C-\(t)", units: 1, tier: t % 2 == 0 ? "gold" : "standard") }
                        let r = try c.call(submitJSON(orders, id: b))
                        if !(r.isOK && r["accepted"] == JSON(20) && r["id"] == JSON(b)) { failures.add(1, ordering: .relaxed) }
                        if try !c.call(["op": "order", "order_id": .string("M-\(t)-\(b)-0")]).isOK { failures.add(1, ordering: .relaxed) }
                    }
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
                done.add(1, ordering: .relaxed)
            }
        }
        threads.forEach { $0.start() }
        let deadline = Date().addingTimeInterval(120)
        while done.load(ordering: .relaxed) < 50 && Date() < deadline { usleep(20_000) }
        #expect(done.load(ordering: .relaxed) == 50)
        #expect(failures.load(ordering: .relaxed) == 0)
        let status = try d.client().call(["op": "status"])
        #expect(status["queued"]!.intValue! + status["committed"]!.intValue! == 50 * 10 * 20)
        let slots = try d.client().call(["op": "schedule"])["slots"]!.arrayValue!
        #expect(slots.allSatisfy { $0.objectValue!["used"]!.intValue! <= $0.objectValue!["capacity"]!.intValue! })
    }
}
