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
        let kills = Int(ProcessInfo.processInfo.environment["FAIRWAY_CRASH_KILLS"] ?? "") ?? 20
        let report = try CrashLoop.run(kills: kills, clients: 4)
        #expect(report.acknowledged > 1000, "too few orders were acknowledged to test anything: \(report.acknowledged)")
        #expect(report.lost == 0)
        #expect(report.changed == 0)
        #expect(report.movedPromises == 0)
        #expect(report.overbooked == 0)
        #expect(report.storedTwice == 0)
        print("crash loop: \(report)")
    }
}
