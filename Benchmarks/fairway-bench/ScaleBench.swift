// Figures at 1,000,000 waiting orders: memory, lookups, planning, restart.

import FairwayProtocol
import Glibc
import Synchronization

/// One daemon loaded once with `options.waiting` orders in one depot (almost
/// all `queued`), reused for memory, lookups and planning, then restarted for
/// the restart figure; lookups during a streaming clump come last.
struct ScaleBench {
    let options: BenchOptions
    let report: Report
    private var section: String { "at \(grouped(options.waiting)) waiting orders (one depot, 100 units per 1 h slot, horizon 2)" }

    init(options: BenchOptions, report: Report) {
        self.options = options
        self.report = report
    }

    func run() throws(BenchError) {
        let daemon = try DaemonProcess(options: options, label: "scale")
        defer { daemon.remove() }
        try daemon.start()
        usleep(200_000)
        let emptyRSS = daemon.residentBytes
        var generator = OrderGenerator(
            style: .sequential, depots: [DaemonProcess.depots[0]], workload: options.workload, seed: options.seed &+ 7)
        let control = try daemon.connect()

        let planningRuns = 5
        progress("planning at ~0 waiting: \(planningRuns) submits of \(options.batchSize) orders, one at a time")
        Quiet.wait(patience: options.quietPatience)
        let nearEmpty = try RoundTrips.batchSubmits(control, &generator, batch: options.batchSize, count: planningRuns)

        let loaded = try load(daemon, &generator, count: options.waiting - planningRuns * options.batchSize)
        let ids = loaded.ids
        let (statusSeconds, queued) = try status(control)
        report.note("fairwayd answered status at \(grouped(queued)) queued orders (of \(grouped(options.waiting)) stored) "
            + "in \(fixed(statusSeconds * 1000, 1)) ms on first ask after loading")
        let fullRSS = daemon.residentBytes
        let peakRSS = daemon.process?.statusBytes("VmHWM") ?? 0
        report.add(section, "RSS of an empty daemon", .bytes, [Double(emptyRSS)])
        report.add(section, "RSS at \(grouped(queued)) queued (peak \(fixed(Double(peakRSS) / 1_048_576, 0)) MiB)", .bytes, [Double(fullRSS)])
        report.add(section, "RSS per waiting order, empty daemon subtracted", .bytesPerOrder,
                   [Double(fullRSS - emptyRSS) / Double(max(queued, 1))], target: .atMost(250))

        progress("lookups at \(grouped(queued)) waiting: \(options.scaleRuns) runs of \(grouped(options.lookups))")
        var alone: [LatencyRun] = []
        for run in 0..<options.scaleRuns {
            Quiet.wait(patience: options.quietPatience)
            alone.append(LatencyRun(try RoundTrips.lookups(control, ids: ids, count: options.lookups, seed: UInt64(run) &+ 1)))
        }
        report.add(section, "order lookup p50, alone", .milliseconds, alone.map { $0.p50 * 1000 })
        report.add(section, "order lookup p99, alone", .milliseconds, alone.map { $0.p99 * 1000 }, target: .atMost(1))

        progress("planning at \(grouped(queued)) waiting: \(planningRuns) submits of \(options.batchSize) orders, one at a time")
        Quiet.wait(patience: options.quietPatience)
        let atScale = try RoundTrips.batchSubmits(control, &generator, batch: options.batchSize, count: planningRuns)
        report.add(section, "\(options.batchSize)-order submit round trip at ~0 waiting", .milliseconds, nearEmpty.map { $0 * 1000 })
        report.add(section, "\(options.batchSize)-order submit round trip at \(grouped(queued)) waiting", .milliseconds, atScale.map { $0 * 1000 })
        report.add(section, "planning cost per \(options.batchSize)-order submit (difference of medians)", .milliseconds,
                   [(Stats.median(atScale) - Stats.median(nearEmpty)) * 1000], target: .atMost(10))
        Quiet.wait(patience: options.quietPatience)
        let singles = LatencyRun(try RoundTrips.singleSubmits(control, &generator, count: 200))
        report.add(section, "single-order submit round trip p50 (200 submits)", .milliseconds, [singles.p50 * 1000])
        report.add(section, "single-order submit round trip p99 (200 submits)", .milliseconds, [singles.p99 * 1000])

        progress("restart at \(grouped(queued + (planningRuns + 1) * options.batchSize)) orders: \(options.scaleRuns) runs")
        var ready: [Double] = []
        var stops: [Double] = []
        for _ in 0..<options.scaleRuns {
            Quiet.wait(patience: options.quietPatience)
            stops.append(try daemon.stop())
            ready.append(try daemon.start())
            progress("  stop \(fixed(stops.last!, 2)) s, start to status answered \(fixed(ready.last!, 2)) s")
        }
        report.add(section, "restart: posix_spawn to status answered", .seconds, ready, target: .atMost(2))
        report.add(section, "stop: SIGTERM to exit (WAL checkpoint)", .seconds, stops)
        report.add(section, "RSS after restart", .bytes, [Double(daemon.residentBytes)])

        try lookupsDuringIngest(daemon, ids: ids, generator: &generator)
        try daemon.stop()
    }

    /// Loads `count` orders over one connection, pipelined; returns their ids.
    private func load(_ daemon: DaemonProcess, _ generator: inout OrderGenerator, count: Int) throws(BenchError) -> (ids: [String], seconds: Double) {
        progress("loading \(grouped(count)) orders into one depot (1 connection, \(options.depth) batches in flight)")
        let orders = generator.make(count)
        let requests = FairwayRequests.submits(orders[...], batchSize: options.batchSize)
        let counts = stride(from: 0, to: count, by: options.batchSize).map { min(options.batchSize, count - $0) }
        Quiet.wait(patience: options.quietPatience)
        let result = try pipelinedIngest(daemon, [requests], ordersPerRequest: [counts], depth: options.depth)
        report.add(section, "loading them: acknowledged (1 connection, one run)", .ordersPerSecond, [result.ordersPerSecond])
        return (orders.map(\.id), result.seconds)
    }

    /// Asks `status`; returns its round trip and the `queued` count.
    private func status(_ connection: PipelinedConnection) throws(BenchError) -> (Double, Int) {
        let (line, seconds) = try connection.roundTrip(FairwayRequests.status())
        guard let object = try? JSONParser.parse(line).objectValue, let queued = object["queued"]?.intValue else {
            throw BenchError("status answer without queued: \(String(decoding: line.prefix(200), as: UTF8.self))")
        }
        return (seconds, queued)
    }

    /// Lookups on one connection while a clump streams in on another.
    private func lookupsDuringIngest(_ daemon: DaemonProcess, ids: [String], generator: inout OrderGenerator) throws(BenchError) {
        progress("lookups while a clump of \(grouped(options.clump)) orders streams in: \(options.scaleRuns) runs")
        var during: [LatencyRun] = []
        var rates: [Double] = []
        for run in 0..<options.scaleRuns {
            let requests = FairwayRequests.submits(generator.make(options.clump)[...], batchSize: options.batchSize)
            let counts = stride(from: 0, to: options.clump, by: options.batchSize).map { min(options.batchSize, options.clump - $0) }
            Quiet.wait(patience: options.quietPatience)
            let streaming = StreamingFlag()
            let socket = daemon.socketPath
            let depth = options.depth
            let lookups = options.lookups * 1000
            let clump = options.clump
            let results = try runTogether(2) { index, go in
                do throws(BenchError) {
                    let connection = try PipelinedConnection.unix(socket)
                    go()
                    if index == 0 {
                        defer { streaming.finish() }
                        let timing = try connection.pipeline(requests, depth: depth) { i, line throws(BenchError) in
                            try AnswerCheck.submit(line, expected: counts[i])
                        }
                        return .success([Double(clump) / timing.seconds])
                    }
                    return .success(try RoundTrips.lookups(connection, ids: ids, count: lookups, seed: UInt64(run) &+ 99) {
                        streaming.isFinished
                    })
                } catch {
                    return .failure(error)
                }
            }
            let latency = LatencyRun(results[1])
            progress("  run \(run + 1): \(latency.count) lookups, p50 \(fixed(latency.p50 * 1000, 3)) ms, "
                + "p99 \(fixed(latency.p99 * 1000, 3)) ms; clump at \(grouped(Int(results[0][0]))) orders/s")
            during.append(latency)
            rates.append(results[0][0])
        }
        let s = "while a clump of \(grouped(options.clump)) streams in on another connection (from ~\(grouped(options.waiting)) waiting, growing)"
        report.add(s, "order lookup p50, during ingest", .milliseconds, during.map { $0.p50 * 1000 })
        report.add(s, "order lookup p99, during ingest", .milliseconds, during.map { $0.p99 * 1000 }, target: .atMost(1))
        report.add(s, "lookups answered during the clump", .count, during.map { Double($0.count) })
        report.add(s, "clump ingest while looked up", .ordersPerSecond, rates)
    }
}

/// Set once the clump has been acknowledged, read by the lookup thread.
final class StreamingFlag: Sendable {
    private let done = Atomic<Bool>(false)
    func finish() { done.store(true, ordering: .releasing) }
    var isFinished: Bool { done.load(ordering: .acquiring) }
}
