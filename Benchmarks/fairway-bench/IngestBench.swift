// Batched ingest: orders/s acknowledged over one and over four connections.

import FairwayTestSupport

/// What one pipelined ingest over several connections achieved.
struct IngestResult: Sendable {
    var orders: Int
    var seconds: Double
    /// CPU seconds of the daemon during the ingest, per wall second.
    var daemonCores: Double
    /// CPU seconds of the benchmark process during the ingest, per wall second.
    var clientCores: Double
    /// Round trip of each batch (send of its first byte to its answer), seconds.
    var batchRoundTrips: [Double]

    var ordersPerSecond: Double { Double(orders) / seconds }
}

/// Sends prepared `submit` requests over one connection per element of
/// `perConnection`, `depth` batches in flight on each, all starting together,
/// and checks every answer's `accepted` count.
func pipelinedIngest(
    _ daemon: DaemonProcess, _ perConnection: [[WireRequest]], ordersPerRequest: [[Int]], depth: Int
) throws(BenchError) -> IngestResult {
    let socket = daemon.socketPath
    let daemonCPU0 = daemon.process?.cpuSeconds ?? 0
    let clientCPU0 = processCPUSeconds()
    let timings = try runTogether(perConnection.count) { index, go in
        do throws(BenchError) {
            let connection = try PipelinedConnection.unix(socket)
            let requests = perConnection[index]
            let expected = ordersPerRequest[index]
            go()
            return .success(try connection.pipeline(requests, depth: depth) { i, line throws(BenchError) in
                try AnswerCheck.submit(line, expected: expected[i])
            })
        } catch {
            return .failure(error)
        }
    }
    let started = timings.map(\.started).min()!
    let finished = timings.map(\.finished).max()!
    let wall = finished - started
    return IngestResult(
        orders: ordersPerRequest.joined().reduce(0, +), seconds: wall,
        daemonCores: ((daemon.process?.cpuSeconds ?? 0) - daemonCPU0) / wall,
        clientCores: (processCPUSeconds() - clientCPU0) / wall,
        batchRoundTrips: timings.flatMap(\.roundTrips))
}

/// The batched-ingest scenario: a fresh daemon per run; `options.orders`
/// orders of ~200 bytes in batches of `options.batchSize`, over one and
/// over four connections, with sequential and with random ids.
struct IngestBench {
    let options: BenchOptions
    let report: Report
    /// Whether another process keeps one core busy during each timed run.
    var busyCore = false

    func run() throws(BenchError) {
        for style in options.idStyles {
            for connections in options.connections {
                try measure(style: style, connections: connections)
            }
        }
    }

    /// Measures one kind of run; returns the orders/s of each run.
    @discardableResult
    func measure(style: OrderGenerator.IDStyle, connections: Int) throws(BenchError) -> [Double] {
        let label = "\(connections) connection\(connections == 1 ? "" : "s"), \(style) ids"
        progress("batched ingest, \(label): \(options.runs) runs of \(grouped(options.orders)) orders")
        var results: [IngestResult] = []
        for run in 0..<options.runs {
            var generator = OrderGenerator(
                style: style, depots: DaemonProcess.depots, workload: options.workload, seed: options.seed &+ UInt64(run))
            let orders = generator.make(options.orders)
            var requests: [[WireRequest]] = []
            var counts: [[Int]] = []
            let share = (orders.count + connections - 1) / connections
            for c in 0..<connections {
                let slice = orders[min(c * share, orders.count)..<min((c + 1) * share, orders.count)]
                requests.append(FairwayRequests.submits(slice, batchSize: options.batchSize))
                counts.append(stride(from: 0, to: slice.count, by: options.batchSize).map { min(options.batchSize, slice.count - $0) })
            }
            let daemon = try DaemonProcess(options: options, label: "ingest")
            defer { daemon.remove() }
            try daemon.start()
            Quiet.wait(patience: options.quietPatience)
            let busy = busyCore ? try BusyCore() : nil
            let result = try pipelinedIngest(daemon, requests, ordersPerRequest: counts, depth: options.depth)
            busy?.stop()
            try daemon.stop()
            progress("  run \(run + 1): \(grouped(Int(result.ordersPerSecond))) orders/s in \(fixed(result.seconds, 2)) s; "
                + "daemon CPU \(fixed(result.daemonCores, 2)) cores, bench \(fixed(result.clientCores, 2)) cores; "
                + "batch round trip p50 \(fixed(Stats.median(result.batchRoundTrips) * 1000, 1)) ms")
            results.append(result)
        }
        var section = "batched ingest (\(grouped(options.orders)) orders/run, batches of \(options.batchSize), \(options.depth) in flight/connection"
            + (options.workload == .randomSize ? ")" : ", workload \(options.workload.rawValue))")
        if busyCore { section = BusyCore.section }
        report.add(section, "\(label): acknowledged", .ordersPerSecond, results.map(\.ordersPerSecond),
                   target: connections == 1 ? .atLeast(100_000) : nil)
        report.add(section, "\(label): batch round trip p50", .milliseconds,
                   results.map { Stats.median($0.batchRoundTrips) * 1000 })
        report.add(section, "\(label): daemon CPU busy", .cores, results.map(\.daemonCores))
        report.add(section, "\(label): bench client CPU busy", .cores, results.map(\.clientCores))
        return results.map(\.ordersPerSecond)
    }
}

/// `yes > /dev/null` beside a timed run: another process keeping one core busy.
final class BusyCore {
    static let section = "with one core kept busy by another process (yes > /dev/null)"
    private let process: ChildProcess

    init() throws(BenchError) {
        process = try BenchError.wrapping { try ChildProcess.spawn("/usr/bin/yes", arguments: [], stdoutPath: "/dev/null") }
    }

    /// Ends it.
    func stop() {
        process.killNow()
        _ = process.wait()
    }
}
