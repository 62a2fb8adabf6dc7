import FairwayProtocol
import FairwayTestSupport
import Foundation
import Glibc
import Synchronization

/// The soak: an honest client submits orders and looks them up, first alone,
/// then while about 250 connections run a hostile mix against the same
/// daemon; the daemon's RSS is sampled throughout, and at the end every
/// order the honest client saw acknowledged must be there.
/// `scripts/soak.sh MINUTES` runs it for longer; `make test` for one minute.
enum Soak {
    struct Report: CustomStringConvertible {
        var minutes = 0.0
        var hostileConnections = 0
        var peakConnections = 0
        var rssStartMiB = 0.0
        var rssPeakMiB = 0.0
        var aloneRate = 0.0
        var aloneP99 = 0.0
        var loadRate = 0.0
        var loadP50 = 0.0
        var loadP99 = 0.0
        var loadMax = 0.0
        var acknowledged = 0
        var lost = 0
        var hostileRequests = 0

        var p99Ratio: Double { aloneP99 > 0 ? loadP99 / aloneP99 : 0 }
        var rateRatio: Double { aloneRate > 0 ? loadRate / aloneRate : 0 }

        var description: String {
            func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }
            return "\(String(format: "%.1f", minutes)) min, \(hostileConnections) hostile connections (peak \(peakConnections) open), "
                + "\(hostileRequests) hostile requests and connections tried; RSS \(String(format: "%.0f", rssStartMiB)) MiB at start, "
                + "peak \(String(format: "%.0f", rssPeakMiB)) MiB; honest client alone \(String(format: "%.0f", aloneRate)) ops/s p99 \(ms(aloneP99)), "
                + "under the mix \(String(format: "%.0f", loadRate)) ops/s (\(String(format: "%.2f", rateRatio))×) p50 \(ms(loadP50)) "
                + "p99 \(ms(loadP99)) (\(String(format: "%.1f", p99Ratio))× alone) max \(ms(loadMax)); "
                + "\(acknowledged) orders acknowledged, \(lost) lost"
        }
    }

    /// The honest client: one connection, submitting one order then looking
    /// up an earlier one, until `until`; returns the latencies and the count.
    final class Honest {
        let client: Client
        var acknowledged: [String] = []
        var latencies: [Double] = []
        var operations = 0
        let prefix: String

        init(path: String, prefix: String) throws {
            client = try Client(path: path)
            self.prefix = prefix
        }

        func run(for seconds: Double) throws -> (rate: Double, latencies: [Double]) {
            var mine: [Double] = []
            let start = Date()
            var n = 0
            while Date().timeIntervalSince(start) < seconds {
                let id = "\(prefix)-\(acknowledged.count + n)"
                var t = Date()
                let r = try client.call(submitJSON([orderJSON(id, "H-\(n % 17)", units: 1, depot: "main")]), timeout: 60)
                mine.append(Date().timeIntervalSince(t))
                if r.isOK { acknowledged.append(id) }
                n += 1
                if let known = acknowledged.randomElement() {
                    t = Date()
                    _ = try client.call(["op": "order", "order_id": .string(known)], timeout: 60)
                    mine.append(Date().timeIntervalSince(t))
                }
            }
            latencies += mine
            return (Double(mine.count) / Date().timeIntervalSince(start), mine)
        }
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    /// The resident memory of process `pid` in MiB, from /proc/PID/status.
    static func rssMiB(_ pid: pid_t) -> Double {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Double(Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    /// `n` schedule requests of depot south in one write.
    static func schedules(_ n: Int) -> [UInt8] {
        (0..<n).flatMap { i -> [UInt8] in
            let request: JSON = ["id": JSON(i), "op": "schedule", "depot": "south"]
            return request.serialized() + [10]
        }
    }

    static func run(minutes: Double) throws -> Report {
        let d = try DaemonFixture(config: DaemonFixture.defaultConfig.replacingOccurrences(of: "capacity = 10\n", with: "capacity = 10000\n")
            + "\n[limits]\nmax-connections = 320\npartial-line-timeout = 5s\n")
        defer { _ = d.stop() }
        let pid = d.process!.pid
        // A queue of 20,000 in south: a full schedule is about half a megabyte.
        let loader = try d.client()
        for k in 0..<4 {
            let batch = (0..<5000).map { orderJSON("Q-\(k * 5000 + $0)", "C-\($0 % 500)", depot: "south") }
            guard try loader.call(submitJSON(batch), timeout: 120).isOK else { throw FixtureError("the queue could not be loaded") }
        }
        var report = Report()
        report.minutes = minutes
        report.rssStartMiB = rssMiB(pid)
        let honest = try Honest(path: d.socketPath, prefix: "HONEST")
        let total = minutes * 60
        let aloneSeconds = max(10, total / 6)
        let alone = try honest.run(for: aloneSeconds)
        report.aloneRate = alone.rate
        report.aloneP99 = percentile(alone.latencies, 0.99)

        // The hostile mix.
        let path = d.socketPath
        let stop = Atomic<Bool>(false)
        let tried = Atomic<Int>(0)
        let peakRSS = Mutex(report.rssStartMiB)
        var threads: [Thread] = []
        func spawn(_ body: @escaping @Sendable () -> Void) { threads.append(Thread(block: body)) }
        @Sendable func stopped() -> Bool { stop.load(ordering: .relaxed) }
        // 60 hoarders: 8 schedules in one write, never read; every 10 s they hang up and come back.
        spawn {
            while !stopped() {
                var held: [Client] = []
                for _ in 0..<60 {
                    guard let c = try? Client(path: path) else { continue }
                    try? c.sendRaw(schedules(8), timeout: 2)
                    held.append(c)
                    tried.add(1, ordering: .relaxed)
                }
                for _ in 0..<100 where !stopped() { usleep(100_000) }
            }
        }
        // 40 pullers: 4 schedules at a time, read.
        for _ in 0..<40 {
            spawn {
                while !stopped() {
                    guard let c = try? Client(path: path) else { usleep(100_000); continue }
                    while !stopped() {
                        guard (try? c.sendRaw(schedules(4), timeout: 30)) != nil else { break }
                        var ok = true
                        for _ in 0..<4 where ok { ok = (try? c.readLine(timeout: 60)) != nil }
                        tried.add(4, ordering: .relaxed)
                        if !ok { break }
                    }
                }
            }
        }
        // 60 squatters: connect and sit, a status now and then.
        spawn {
            var held: [Client] = []
            for _ in 0..<60 { if let c = try? Client(path: path) { held.append(c) } }
            tried.add(60, ordering: .relaxed)
            while !stopped() {
                for c in held where !stopped() { _ = try? c.call(["op": "status"], timeout: 10) }
                for _ in 0..<50 where !stopped() { usleep(100_000) }
            }
        }
        // 30 half lines: half a request, then nothing until the daemon gives up on them.
        spawn {
            while !stopped() {
                var held: [Client] = []
                for _ in 0..<30 {
                    guard let c = try? Client(path: path) else { continue }
                    try? c.sendRaw(Array(#"{"op":"order","order_"#.utf8), timeout: 2)
                    held.append(c)
                    tried.add(1, ordering: .relaxed)
                }
                for _ in 0..<70 where !stopped() { usleep(100_000) }
            }
        }
        // 20 connections of garbage, again and again.
        for t in 0..<4 {
            spawn {
                var rng = SystemRandomNumberGenerator()
                let inputs: [[UInt8]] = [
                    [0xFF, 0xFE, 10], Array(String(repeating: "[", count: 5000).utf8) + [10],
                    Array(#"{"op":"submit","orders":"lots"}"#.utf8) + [10], [UInt8](repeating: 0x41, count: 100_000) + [10],
                    Array(#"{"op":"drop_tables"}"#.utf8) + [10],
                ]
                while !stopped() {
                    var held: [Client] = []
                    for i in 0..<5 {
                        guard let c = try? Client(path: path) else { continue }
                        let bytes = t == 0 ? (0..<Int.random(in: 1...3000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                            : inputs[(t + i) % inputs.count]
                        try? c.sendRaw(bytes, timeout: 2)
                        held.append(c)
                        tried.add(1, ordering: .relaxed)
                    }
                    usleep(200_000)
                }
            }
        }
        // Connect/disconnect storms: 4 threads, a connection each time, most hung up at once.
        for _ in 0..<4 {
            spawn {
                while !stopped() {
                    if let c = try? Client(path: path), Int.random(in: 0..<4) == 0 {
                        _ = try? c.call(["op": "status"], timeout: 5)
                    }
                    tried.add(1, ordering: .relaxed)
                    usleep(2_000)
                }
            }
        }
        // 20 watchers: half read their events slowly, half never.
        spawn {
            var watchers: [Client] = []
            for _ in 0..<20 {
                guard let c = try? Client(path: path) else { continue }
                try? c.send(["op": "watch"])
                watchers.append(c)
                tried.add(1, ordering: .relaxed)
            }
            while !stopped() {
                for (i, c) in watchers.enumerated() where i % 2 == 0 && !stopped() { _ = try? c.readLine(timeout: 0.05) }
                usleep(100_000)
            }
        }
        report.hostileConnections = 60 + 40 + 60 + 30 + 20 + 20
        // The daemon's RSS and connections, sampled.
        let sampler = Thread {
            while !stopped() {
                let rss = rssMiB(pid)
                peakRSS.withLock { $0 = max($0, rss) }
                usleep(250_000)
            }
        }
        threads.forEach { $0.start() }
        sampler.start()
        sleep(3)
        let probe = try d.client()
        report.peakConnections = (try? probe.call(["op": "status"]))?["connections"]?.objectValue?["total"]?.intValue ?? 0
        let loaded = try honest.run(for: max(10, total - aloneSeconds - 3))
        report.peakConnections = max(report.peakConnections,
                                     (try? probe.call(["op": "status"]))?["connections"]?.objectValue?["total"]?.intValue ?? 0)
        stop.store(true, ordering: .relaxed)
        report.loadRate = loaded.rate
        report.loadP50 = percentile(loaded.latencies, 0.5)
        report.loadP99 = percentile(loaded.latencies, 0.99)
        report.loadMax = loaded.latencies.max() ?? 0
        report.hostileRequests = tried.load(ordering: .relaxed)
        usleep(500_000)
        report.rssPeakMiB = peakRSS.withLock { $0 }

        // Every acknowledged order is there.
        let checker = try d.client()
        report.acknowledged = honest.acknowledged.count
        for id in honest.acknowledged where try !checker.call(["op": "order", "order_id": .string(id)], timeout: 60).isOK {
            report.lost += 1
        }
        return report
    }
}
