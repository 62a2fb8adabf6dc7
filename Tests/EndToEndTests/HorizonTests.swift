import FairwayProtocol
import Foundation
import Testing

@Suite struct HorizonTests {
    @Test func theHorizonRollsWithinASecondWithoutARequest() throws {
        let d = try DaemonFixture(config: DaemonFixture.twoSecondSlots(capacity: 1))
        let c = try d.client()
        let r = try c.call(submitJSON((0..<3).map { orderJSON("H-\($0)", "C-\($0)") }))
        let states = r["results"]!.arrayValue!.map { $0.objectValue!["state"]!.stringValue! }
        #expect(states == ["committed", "queued", "queued"])
        // Without any request, the daemon commits H-1 when the next 2 s slot starts.
        let deadline = Date().addingTimeInterval(6)
        while !d.stderr().contains("committed order_id=H-1") && Date() < deadline { usleep(50_000) }
        #expect(d.stderr().contains("committed order_id=H-1"))
        let o = try c.call(["op": "order", "order_id": "H-1"])["order"]!.objectValue!
        #expect(o["state"] == "committed")
        #expect(o["promised"] == .bool(true))
    }
}
