// The cost of the desk's operations (contract 1.1) at `options.waiting` orders.

import FairwayCore
import FairwayPOSIX
import FairwayProtocol
import Foundation
import Glibc

/// One daemon loaded with `options.waiting` orders in one depot; then each
/// operation of the desk is timed as round trips on one connection: the
/// lookups (`why`, `customer`, `at_risk`, `overdue`, `status`, `metrics`),
/// the what-ifs (`submit` and `expedite` with `dry_run`), the changes
/// (`expedite`, `capacity` down and back, `deliver`, `fail`), `report` with
/// the `order` lookups on another connection meanwhile, and a clump's
/// ingest with and without a `watch` subscriber reading. An operation the
/// daemon does not know is noted, not timed.
struct OpsBench {
    let options: BenchOptions
    let report: Report
    private var section: String { "desk operations at \(grouped(options.waiting)) waiting orders (one depot, 100 units per 1 h slot, horizon 2)" }
    /// Round trips per timed operation.
    private var samples: Int { options.quick ? 5 : 20 }

    init(options: BenchOptions, report: Report) {
        self.options = options
        self.report = report
    }

    func run() throws(BenchError) {
        let daemon = try DaemonProcess(options: options, label: "ops")
        defer { daemon.remove() }
        try daemon.start()
        var generator = OrderGenerator(style: .sequential, depots: [DaemonProcess.depots[0]], seed: options.seed &+ 11)
        let orders = generator.make(options.waiting)
        let requests = FairwayRequests.submits(orders[...], batchSize: options.batchSize)
        let counts = stride(from: 0, to: orders.count, by: options.batchSize).map { min(options.batchSize, orders.count - $0) }
        progress("ops: loading \(grouped(orders.count)) orders")
        _ = try pipelinedIngest(daemon, [requests], ordersPerRequest: [counts], depth: options.depth)
        let ids = orders.map(\.id)
        let c = try daemon.connect()
        let now = WallClock.seconds()
        let from = Timestamp(seconds: now - 30 * 86_400).rfc3339
        let to = Timestamp(seconds: now + 86_400).rfc3339
        var rng = SeededRandom(seed: options.seed &+ 5)
        func anyID() -> String { ids[Int(rng.next() % UInt64(ids.count))] }
        func quoted(_ s: String) -> String { "\"\(s)\"" }
        let customers = orders.prefix(1000).compactMap { Self.customerID(in: $0.json) }

        try time(c, "order (for comparison)") { _ in "{\"op\":\"order\",\"order_id\":\(quoted(anyID()))}" }
        try time(c, "why") { _ in "{\"op\":\"why\",\"order_id\":\(quoted(anyID()))}" }
        try time(c, "customer (limit 20)") { _ in "{\"op\":\"customer\",\"customer_id\":\(quoted(customers[Int(rng.next() % UInt64(customers.count))]))}" }
        try time(c, "at_risk (limit 100)") { _ in "{\"op\":\"at_risk\"}" }
        try time(c, "overdue (limit 100)") { _ in "{\"op\":\"overdue\"}" }
        try time(c, "status") { _ in "{\"op\":\"status\"}" }
        try time(c, "metrics") { _ in "{\"op\":\"metrics\"}" }
        let dry = generator.make(options.batchSize)
        let dryLine = String(decoding: FairwayRequests.submits(dry[...], batchSize: options.batchSize)[0].bytes, as: UTF8.self)
            .replacingOccurrences(of: "\"op\":\"submit\"", with: "\"op\":\"submit\",\"dry_run\":true")
            .trimmingCharacters(in: .newlines)
        try time(c, "submit dry_run (\(options.batchSize) orders)") { _ in dryLine }
        // Deep in the queue, so an expedite has many orders to pass.
        let deep = Array(ids.suffix(ids.count / 2))
        try time(c, "expedite dry_run (an order deep in the queue)") { i in
            "{\"op\":\"expedite\",\"order_id\":\(quoted(deep[i * 7919 % deep.count])),\"reason\":\"bench\",\"dry_run\":true}"
        }
        try time(c, "expedite (real)", count: min(samples, 10), acceptErrors: ["over_budget"]) { i in
            "{\"op\":\"expedite\",\"order_id\":\(quoted(deep[(i + 1) * 104_729 % deep.count])),\"reason\":\"bench\"}"
        }
        let slot = (now / 3600 + 1) * 3600
        let slotFrom = Timestamp(seconds: slot).rfc3339
        let slotTo = Timestamp(seconds: slot + 2 * 3600).rfc3339
        try time(c, "capacity: the horizon's 2 slots down to 50 (promises move) and back, each", count: min(samples, 10) * 2) { i in
            i % 2 == 0
                ? "{\"op\":\"capacity\",\"depot\":\"north\",\"from\":\"\(slotFrom)\",\"to\":\"\(slotTo)\",\"capacity\":50,\"reason\":\"bench\"}"
                : "{\"op\":\"capacity\",\"depot\":\"north\",\"from\":\"\(slotFrom)\",\"to\":\"\(slotTo)\"}"
        }
        try time(c, "report from 30 days ago to tomorrow, by day and tier") { _ in
            "{\"op\":\"report\",\"from\":\"\(from)\",\"to\":\"\(to)\",\"by\":[\"day\",\"tier\"]}"
        }
        try lookupsDuringReports(daemon, ids: ids, from: from, to: to)
        try watchedIngest(daemon, &generator)
        try daemon.stop()
    }

    /// Times `count` round trips of the request lines `line(i)` makes.
    private func time(
        _ c: PipelinedConnection, _ name: String, count: Int? = nil, acceptErrors: Set<String> = [],
        _ line: (Int) -> String
    ) throws(BenchError) {
        let n = count ?? samples
        var seconds: [Double] = []
        var refused = 0
        for i in 0..<n {
            let (answer, s) = try c.roundTrip(Array((line(i) + "\n").utf8))
            guard let object = try? JSONParser.parse(answer).objectValue else { throw BenchError("\(name): answer is not JSON") }
            if object["ok"] != .bool(true) {
                let code = object["error"]?.objectValue?["code"]?.stringValue ?? "?"
                let message = object["error"]?.objectValue?["message"]?.stringValue ?? ""
                if code == "unknown_op" || message.contains("unknown parameter") {
                    report.note("\(name): not measured, fairwayd does not know this operation")
                    return
                }
                guard acceptErrors.contains(code) else {
                    throw BenchError("\(name): \(String(decoding: answer.prefix(300), as: UTF8.self))")
                }
                refused += 1
            }
            seconds.append(s)
        }
        if refused > 0 { report.note("\(name): \(refused) of \(n) answered with an accepted error") }
        progress("  \(name): median \(fixed(Stats.median(seconds) * 1000, 2)) ms")
        report.add(section, "\(name): round trip median (\(n) runs)", .milliseconds, [Stats.median(seconds) * 1000])
        report.add(section, "\(name): round trip max", .milliseconds, [(seconds.max() ?? 0) * 1000])
    }

    /// `order` lookups on one connection while another asks for reports.
    private func lookupsDuringReports(_ daemon: DaemonProcess, ids: [String], from: String, to: String) throws(BenchError) {
        let socket = daemon.socketPath
        let reportLine = Array("{\"op\":\"report\",\"from\":\"\(from)\",\"to\":\"\(to)\",\"by\":[\"day\",\"depot\",\"tier\"]}\n".utf8)
        let reports = samples
        let flag = StreamingFlag()
        let results: [[Double]] = try runTogether(2) { index, go -> Result<[Double], BenchError> in
            do throws(BenchError) {
                let connection = try PipelinedConnection.unix(socket)
                go()
                if index == 0 {
                    defer { flag.finish() }
                    var seconds: [Double] = []
                    for _ in 0..<reports {
                        let (line, s) = try connection.roundTrip(reportLine)
                        let answer = try? JSONParser.parse(line).objectValue
                        if answer?["ok"] != .bool(true) { return .success([]) }
                        seconds.append(s)
                    }
                    return .success(seconds)
                }
                return .success(try RoundTrips.lookups(connection, ids: ids, count: 1_000_000, seed: 77) { flag.isFinished })
            } catch {
                return .failure(error)
            }
        }
        guard !results[0].isEmpty else {
            report.note("lookups during reports: not measured, report failed or is unknown")
            return
        }
        let during = LatencyRun(results[1])
        report.add(section, "order lookup p50 while reports run back to back (\(during.count) lookups)", .milliseconds, [during.p50 * 1000])
        report.add(section, "order lookup p99 while reports run back to back", .milliseconds, [during.p99 * 1000])
    }

    /// A clump's ingest rate without, then with, a `watch` subscriber reading
    /// every event, then without again.
    private func watchedIngest(_ daemon: DaemonProcess, _ generator: inout OrderGenerator) throws(BenchError) {
        let clump = options.quick ? 20_000 : options.clump
        func ingest() throws(BenchError) -> Double {
            let orders = generator.make(clump)
            let requests = FairwayRequests.submits(orders[...], batchSize: options.batchSize)
            let counts = stride(from: 0, to: clump, by: options.batchSize).map { min(options.batchSize, clump - $0) }
            return try pipelinedIngest(daemon, [requests], ordersPerRequest: [counts], depth: options.depth).ordersPerSecond
        }
        let alone = try ingest()
        let watcher: FileDescriptor
        do {
            watcher = try UnixSocket.connect(to: try UnixSocketAddress(path: daemon.socketPath))
        } catch {
            throw BenchError("watch connect: \(error)")
        }
        let request = Array("{\"op\":\"watch\"}\n".utf8)
        _ = request.withUnsafeBytes { send(watcher.rawValue, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var first = [UInt8](repeating: 0, count: 4096)
        let n = first.withUnsafeMutableBytes { recv(watcher.rawValue, $0.baseAddress, $0.count, 0) }
        guard n > 0, String(decoding: first[0..<n], as: UTF8.self).contains("\"watching\":true") else {
            report.note("ingest with a watcher: not measured, watch is unknown or refused")
            return
        }
        let fd = watcher.rawValue
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while buffer.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, 0) }) > 0 {}
        }
        reader.start()
        let watched = try ingest()
        shutdown(fd, Int32(SHUT_RDWR))
        // Once more alone: each clump lands on a larger state, so the drift
        // between the first and this one bounds what the watcher's cost means.
        let again = try ingest()
        report.add(section, "clump of \(grouped(clump)) ingested, no watcher", .ordersPerSecond, [alone])
        report.add(section, "clump of \(grouped(clump)) ingested, one watcher reading every event", .ordersPerSecond, [watched])
        report.add(section, "clump of \(grouped(clump)) ingested, no watcher again (after the watched one)", .ordersPerSecond, [again])
        withExtendedLifetime(watcher) {}
    }

    /// The `customer_id` in a generated order's JSON.
    private static func customerID(in json: [UInt8]) -> String? {
        let text = String(decoding: json, as: UTF8.self)
        guard let key = text.range(of: "\"customer_id\":\""), let end = text[key.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(text[key.upperBound..<end])
    }
}
