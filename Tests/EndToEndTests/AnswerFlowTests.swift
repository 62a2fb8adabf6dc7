import FairwayProtocol
import FairwayTestSupport
import Foundation
import Glibc
import Synchronization
import Testing

/// Answers made as clients read them: hoarders (clients that ask for big
/// answers and never read) cost one answer each and no CPU, and what they
/// asked is dropped when they hang up; the global `max-answer-bytes` holds
/// answers back without dropping them; pullers (clients that pull big
/// answers and read them) do not hold up small requests. Smaller than the
/// issue's figures (20,000 queued orders, a schedule of about 0.5 MB, and
/// the per-connection bound lowered to 64 KiB by the debug-only hook).
@Suite struct AnswerFlowTests {
    /// The per-connection bound the tests use (FAIRWAY_TEST_ANSWER_CONNECTION_BYTES).
    static let connectionBytes = 65536

    /// Queues `count` orders in depot `south` (1 d slots of 100).
    static func load(_ d: DaemonFixture, count: Int) throws {
        let c = try d.client()
        var n = 0
        while n < count {
            let batch = (n..<min(count, n + 5000)).map { orderJSON("Q-\($0)", "C-\($0 % 500)", depot: "south") }
            #expect(try c.call(submitJSON(batch), timeout: 120).isOK)
            n += batch.count
        }
    }

    /// The daemon's resident memory in KiB, from /proc/PID/status.
    static func rssKiB(_ d: DaemonFixture) -> Int { Int(Soak.rssMiB(d.process!.pid) * 1024) }

    /// A sample of the daemon's `metrics`: `name{labels}` as written there.
    static func metric(_ client: Client, _ sample: String) throws -> Double {
        let text = try client.call(["op": "metrics"])["text"]?.stringValue ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix(sample + " ") } ?? ""
        return Double(line.split(separator: " ").last ?? "") ?? 0
    }

    /// Schedule answers the daemon has made.
    static func schedulesMade(_ client: Client) throws -> Int {
        Int(try metric(client, "fairway_request_duration_seconds_count{op=\"schedule\"}"))
    }

    /// `n` schedule requests of depot south in one write.
    static func schedules(_ n: Int) -> [UInt8] { Soak.schedules(n) }

    /// Waits until `value` has not changed for a second (at most `timeout`); returns it.
    static func settled(timeout: Double, _ value: () throws -> Int) rethrows -> Int {
        var last = try value()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            sleep(1)
            let now = try value()
            if now == last { return now }
            last = now
        }
        return last
    }

    /// Seconds `status` takes on a fresh connection.
    static func statusProbe(_ d: DaemonFixture) throws -> Double {
        let start = Date()
        #expect(try d.client().call(["op": "status"], timeout: 10).isOK)
        return Date().timeIntervalSince(start)
    }

    @Test func hoardersAreMadeOneAnswerEachAndWhatTheyAskedIsDroppedWhenTheyHangUp() throws {
        let d = try DaemonFixture(environment: ["FAIRWAY_TEST_ANSWER_CONNECTION_BYTES": String(Self.connectionBytes)])
        try Self.load(d, count: 20_000)
        let probe = try d.client()
        try probe.send(["op": "schedule", "depot": "south"])
        let size = try probe.readLine()?.count ?? 0
        #expect(size > 2 * Self.connectionBytes, "a schedule answer of \(size) bytes")
        let rssBefore = Self.rssKiB(d)
        let madeBefore = try Self.schedulesMade(probe)
        // 48 hoarders ask for 8 schedules each in one write and never read.
        let hoarders = 48
        var held: [Client] = []
        for _ in 0..<hoarders {
            let c = try d.client()
            try c.sendRaw(Self.schedules(8))
            held.append(c)
        }
        let made = try Self.settled(timeout: 90) { try Self.schedulesMade(probe) } - madeBefore
        let grownMiB = Double(Self.rssKiB(d) - rssBefore) / 1024
        var probes: [Double] = []
        for _ in 0..<5 { probes.append(try Self.statusProbe(d)) }
        print("hoarders: \(hoarders) × 8 schedules of \(size) bytes: \(made) answers made, RSS +\(String(format: "%.1f", grownMiB)) MiB, "
              + "status probes \(probes.map { String(format: "%.3f", $0) }) s")
        // The old daemon made all 384 (and held them: RSS +170 MiB or so).
        #expect(made <= 2 * hoarders, "\(made) schedules made for \(hoarders) clients that never read")
        #expect(grownMiB < 64)
        #expect(probes.allSatisfy { $0 < 1 })
        // They hang up: nothing more is made for them, and status is answered at once.
        held.removeAll()
        let afterHangUp = try Self.statusProbe(d)
        #expect(afterHangUp < 1, "status \(afterHangUp) s after the hoarders hung up")
        let madeAfter = try Self.settled(timeout: 30) { try Self.schedulesMade(probe) } - madeBefore
        #expect(madeAfter <= made + 1, "\(madeAfter - made) schedules made after their clients hung up")
        #expect(d.stop() == 0)
    }

    @Test func pastMaxAnswerBytesAnswersWaitAndAreNotDropped() throws {
        let d = try DaemonFixture(config: DaemonFixture.defaultConfig + "\n[limits]\nmax-answer-bytes = 1048576\n",
                                  environment: ["FAIRWAY_TEST_ANSWER_CONNECTION_BYTES": String(Self.connectionBytes)])
        try Self.load(d, count: 20_000)
        let probe = try d.client()
        let madeBefore = try Self.schedulesMade(probe)
        var slow: [Client] = []
        for _ in 0..<12 {
            let c = try d.client()
            try c.sendRaw(Self.schedules(3))
            slow.append(c)
        }
        let made = try Self.settled(timeout: 60) { try Self.schedulesMade(probe) } - madeBefore
        let heldBytes = try Self.metric(probe, "fairway_answer_bytes_held")
        print("max-answer-bytes 1 MiB, 12 clients × 3 schedules unread: \(made) answers made, \(Int(heldBytes)) bytes held")
        // The old daemon made all 36.
        #expect(made < 12, "\(made) schedules made past max-answer-bytes")
        // Small requests are still answered meanwhile.
        #expect(try Self.statusProbe(d) < 1)
        #expect(try probe.call(["op": "order", "order_id": "Q-7"]).isOK)
        // Once the clients read, every answer comes, in order.
        for c in slow {
            for id in 0..<3 {
                let answer = try c.receive(timeout: 60)
                #expect(answer["id"] == JSON(id) && answer.isOK)
            }
        }
        #expect(d.stop() == 0)
    }

    @Test func smallRequestsDoNotWaitBehindSchedulesThatOthersPull() throws {
        let d = try DaemonFixture()
        try Self.load(d, count: 20_000)
        let path = d.socketPath
        let stop = Atomic<Bool>(false)
        let pulled = Atomic<Int>(0)
        // 40 pullers each ask for 4 full schedules at a time and read them.
        let pullers = (0..<40).map { _ in
            Thread {
                guard let c = try? Client(path: path) else { return }
                while !stop.load(ordering: .relaxed) {
                    guard (try? c.sendRaw(Self.schedules(4))) != nil else { return }
                    for _ in 0..<4 {
                        guard (try? c.readLine(timeout: 120)) != nil else { return }
                        pulled.add(1, ordering: .relaxed)
                    }
                }
            }
        }
        pullers.forEach { $0.start() }
        defer { stop.store(true, ordering: .relaxed) }
        #expect(waitUntil(timeout: 60, interval: 0.05) { pulled.load(ordering: .relaxed) >= 40 })
        // A prober on its own connection: status and order, one at a time.
        let prober = try d.client()
        var latencies: [Double] = []
        let pulledBefore = pulled.load(ordering: .relaxed)
        for i in 0..<150 {
            let start = Date()
            let r = try prober.call(i % 2 == 0 ? ["op": "status"] : ["op": "order", "order_id": .string("Q-\(i)")], timeout: 30)
            latencies.append(Date().timeIntervalSince(start))
            #expect(r.isOK)
            usleep(10_000)
        }
        let pulledMeanwhile = pulled.load(ordering: .relaxed) - pulledBefore
        stop.store(true, ordering: .relaxed)
        latencies.sort()
        let p99 = latencies[Int(Double(latencies.count) * 0.99) - 1]
        let worst = latencies.last!
        print("pullers: 40 × 4 schedules, \(pulledMeanwhile) pulled while probing; status/order p50 \(String(format: "%.1f", latencies[latencies.count / 2] * 1000)) ms, "
              + "p99 \(String(format: "%.1f", p99 * 1000)) ms, max \(String(format: "%.1f", worst * 1000)) ms")
        #expect(pulledMeanwhile > 0)
        // The old daemon: p99 of seconds (every cheap request behind all the schedules asked).
        // The issue's target is 50 ms on a release build at 200,000 queued; a
        // debug build on two shared cores gets more room here.
        #expect(p99 < 0.25)
        #expect(worst < 1)
        #expect(d.stop() == 0)
    }
}
