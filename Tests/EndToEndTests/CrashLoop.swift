import FairwayProtocol
import Foundation
import Glibc
import Synchronization

/// `kill -9` at random instants while clients submit batches; after each
/// restart, and at the end, every acknowledged order must be there exactly
/// once with its content, and every promise must be where it was.
enum CrashLoop {
    struct Report: CustomStringConvertible {
        var kills = 0
        var acknowledged = 0
        var lost = 0
        var changed = 0
        var movedPromises = 0
        var overbooked = 0
        var storedTwice = 0
        var description: String {
            "\(kills) kills, \(acknowledged) orders acknowledged, lost \(lost), changed \(changed), promises moved \(movedPromises), overbooked slots \(overbooked), stored twice \(storedTwice)"
        }
    }

    static func run(kills: Int, clients: Int, seed: UInt64 = 0x5EED) throws -> Report {
        let d = try DaemonFixture(config: DaemonFixture.defaultConfig.replacingOccurrences(of: "capacity = 10", with: "capacity = 300"))
        let acknowledged = Mutex<[String: Int]>([:])  // order id -> units
        let promises = Mutex<[String: String]>([:])  // order id -> promised slot_start
        var rng = SystemRandomNumberGenerator()
        var report = Report()
        for round in 0..<kills {
            let stop = Atomic<Bool>(false)
            let finished = Atomic<Int>(0)
            let path = d.socketPath
            let threads = (0..<clients).map { t in
                Thread {
                    defer { finished.add(1, ordering: .relaxed) }
                    guard let c = try? Client(path: path) else { return }
                    var batch = 0
                    while !stop.load(ordering: .relaxed) {
                        let ids = (0..<100).map { "K\(round)-\(t)-\(batch)-\($0)" }
                        let orders = ids.enumerated().map { orderJSON($0.element, "C-\($0.offset % 23)", units: 1 + $0.offset % 3, tier: ["gold", "standard", "platinum"][$0.offset % 3]) }
                        guard let r = try? c.call(submitJSON(orders), timeout: 10), r.isOK else { return }
                        acknowledged.withLock { a in for (i, id) in ids.enumerated() { a[id] = 1 + i % 3 } }
                        promises.withLock { p in
                            for result in r["results"]?.arrayValue ?? [] {
                                if let o = result.objectValue, o["state"] == "committed", let id = o["order_id"]?.stringValue, let s = o["slot_start"]?.stringValue { p[id] = s }
                            }
                        }
                        batch += 1
                    }
                }
            }
            threads.forEach { $0.start() }
            usleep(useconds_t(Int.random(in: 30_000...250_000, using: &rng)))
            d.kill9()
            report.kills += 1
            stop.store(true, ordering: .relaxed)
            let deadline = Date().addingTimeInterval(15)
            while finished.load(ordering: .relaxed) < clients && Date() < deadline { usleep(10_000) }
            try d.start()
        }
        let c = try d.client()
        let ack = acknowledged.withLock { $0 }
        let promised = promises.withLock { $0 }
        report.acknowledged = ack.count
        let ids = Array(ack.keys)
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let part = ids[chunk..<min(chunk + 500, ids.count)]
            var bytes: [UInt8] = []
            for id in part {
                let req: JSON = ["op": "order", "order_id": .string(id)]
                bytes += req.serialized() + [10]
            }
            try c.sendRaw(bytes)
            for id in part {
                let r = try c.receive()
                guard r.isOK, let o = r["order"]?.objectValue else {
                    report.lost += 1
                    continue
                }
                if o["units"] != JSON(ack[id]!) || o["order_id"] != .string(id) { report.changed += 1 }
                if let p = promised[id], o["slot_start"] != .string(p) { report.movedPromises += 1 }
            }
        }
        // Exactly once, and capacity: the schedule lists each order once, no slot over capacity.
        let slots = try c.call(["op": "schedule", "from": "2000-01-01T00:00:00Z"], timeout: 60)["slots"]!.arrayValue!
        var seen = Set<String>()
        for slot in slots.map({ $0.objectValue! }) {
            if slot["used"]!.intValue! > slot["capacity"]!.intValue! { report.overbooked += 1 }
            for id in slot["orders"]!.arrayValue! where !seen.insert(id.stringValue!).inserted { report.storedTwice += 1 }
        }
        let status = try c.call(["op": "status"])
        if status["queued"]!.intValue! + status["committed"]!.intValue! != seen.count { report.storedTwice += 1 }
        return report
    }
}
