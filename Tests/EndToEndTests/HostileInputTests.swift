import FairwayProtocol
import Foundation
import Glibc
import Synchronization
import Testing

/// Hostile and broken clients: the daemon keeps answering others within a
/// bounded time and loses nothing that was acknowledged.
@Suite struct HostileInputTests {
    @Test func garbageFromManyClientsNeitherStopsNorCorruptsTheDaemon() throws {
        let d = try DaemonFixture(config: DaemonFixture.defaultConfig + "\n[limits]\nmax-connections = 64\n")
        let good = try d.client()
        #expect(try good.call(submitJSON((0..<100).map { orderJSON("G-\($0)", "C-\($0 % 7)") })).isOK)
        let path = d.socketPath
        let tried = Atomic<Int>(0)
        let inputs: [[UInt8]] = [
            Array("{\"op\":\"submit\",\"orders\":[{\"order_id\":".utf8) + [10],
            [0xFF, 0xFE, 0xFD, 10],
            Array(String(repeating: "[", count: 5000).utf8) + [10],
            Array(#"{"op":"submit","orders":"lots"}"#.utf8) + [10],
            Array(#"{"op":"drop_tables"}"#.utf8) + [10],
            Array(#"{"op":"submit","orders":[{"order_id":"X","customer_id":"Y","evil":true}]}"#.utf8) + [10],
            Array(#"{"op":"order","order_id":"G-1","extra":1}"#.utf8) + [10],
            [UInt8](repeating: 0x41, count: 200_000) + [10],
            [10, 10, 13, 10],
        ]
        let threads = (0..<24).map { t in
            Thread {
                var rng = SystemRandomNumberGenerator()
                for round in 0..<20 {
                    guard let c = try? Client(path: path) else { continue }
                    var bytes: [UInt8] = []
                    for _ in 0..<10 {
                        if t % 3 == 0 {
                            bytes += (0..<Int.random(in: 1...2000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                        } else {
                            bytes += inputs[(t + round) % inputs.count]
                        }
                        tried.add(1, ordering: .relaxed)
                    }
                    try? c.sendRaw(bytes)
                    // Some read their answers, some hang up at once.
                    if round % 2 == 0 { _ = try? c.readLine(timeout: 2) }
                }
            }
        }
        threads.forEach { $0.start() }
        // Meanwhile an honest client is answered promptly.
        for i in 0..<50 {
            let start = Date()
            let r = try good.call(["op": "order", "order_id": .string("G-\(i)")], timeout: 10)
            #expect(r.isOK)
            #expect(Date().timeIntervalSince(start) < 2)
        }
        while tried.load(ordering: .relaxed) < 24 * 20 * 10 { usleep(20_000) }
        usleep(200_000)
        let status = try good.call(["op": "status"])
        #expect(status["queued"]!.intValue! + status["committed"]!.intValue! == 100)
        #expect(try d.client().call(["op": "order", "order_id": "G-99"]).isOK)
        #expect(d.stop() == 0)
        print("hostile inputs tried: \(tried.load(ordering: .relaxed))")
    }

    @Test func connectionsBeyondTheLimitAreRefusedPolitely() throws {
        let d = try DaemonFixture(config: DaemonFixture.defaultConfig + "\n[limits]\nmax-connections = 8\n")
        var held: [Client] = []
        for _ in 0..<8 { held.append(try d.client()) }
        #expect(try held[7].call(["op": "status"]).isOK)
        let extra = try d.client()
        let r = try extra.receive(timeout: 5)
        #expect(r.errorCode == "unavailable")
        #expect(r.errorMessage.contains("too many connections"))
        // Once the held connections are closed (the daemon sees that
        // asynchronously, later under load), a new client is served again.
        held.removeAll()
        #expect(waitUntil(timeout: 20, interval: 0.1) { (try? d.client().call(["op": "status"]))?.isOK == true })
    }
}

@Suite struct OverloadTests {
    @Test func pastThePendingBoundRequestsAreRefusedAndNothingAcknowledgedIsLost() throws {
        let d = try DaemonFixture(config: DaemonFixture.defaultConfig.replacingOccurrences(of: "capacity = 10", with: "capacity = 1000")
            + "\n[limits]\nmax-pending-bytes = 200000\n")
        let c = try d.client()
        var bytes: [UInt8] = []
        for b in 0..<30 {
            bytes += submitJSON((0..<600).map { orderJSON("O-\(b)-\($0)", "C-\($0 % 40)", extra: [("notes", "loading bay 4")]) }, id: b).serialized() + [10]
        }
        try c.sendRaw(bytes)
        var accepted = 0
        var refused = 0
        for _ in 0..<30 {
            let r = try c.receive()
            if r.isOK {
                accepted += r["accepted"]!.intValue!
            } else {
                #expect(r.errorCode == "unavailable")
                #expect(r.errorMessage.contains("retry"))
                refused += 1
            }
        }
        #expect(refused > 0)
        #expect(accepted > 0)
        let status = try c.call(["op": "status"])
        #expect(status["queued"]!.intValue! + status["committed"]!.intValue! == accepted)
        #expect(try c.call(submitJSON([orderJSON("LATER", "C-1")])).isOK)
    }
}
