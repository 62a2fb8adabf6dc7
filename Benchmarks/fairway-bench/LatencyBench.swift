// Round trips of one request at a time: single-order submits and `order` lookups.

import FairwayCore

/// Sequential round trips: one request, wait for its answer, the next.
enum RoundTrips {
    /// `count` single-order submits, one at a time; returns each round trip in seconds.
    static func singleSubmits(
        _ connection: PipelinedConnection, _ generator: inout OrderGenerator, count: Int
    ) throws(BenchError) -> [Double] {
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for i in 0..<count {
            let request = FairwayRequests.submits([generator.make()][...], batchSize: 1, firstID: i + 1)[0]
            let (line, seconds) = try connection.roundTrip(request.bytes)
            try AnswerCheck.submit(line, expected: 1)
            samples.append(seconds)
        }
        return samples
    }

    /// `count` `order` lookups of ids drawn at random from `ids`, one at a
    /// time; stops early when `until` returns true. Returns each round trip in seconds.
    static func lookups(
        _ connection: PipelinedConnection, ids: [String], count: Int, seed: UInt64, until: () -> Bool = { false }
    ) throws(BenchError) -> [Double] {
        var rng = SeededRandom(seed: seed)
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for i in 0..<count {
            if until() { break }
            let id = ids[Int(rng.next() % UInt64(ids.count))]
            let (line, seconds) = try connection.roundTrip(FairwayRequests.lookup(id, id: i + 1))
            try AnswerCheck.ok(line)
            samples.append(seconds)
        }
        return samples
    }

    /// A 1000-order (`batch`) submit on its own, `count` times one after the
    /// other; returns each round trip in seconds.
    static func batchSubmits(
        _ connection: PipelinedConnection, _ generator: inout OrderGenerator, batch: Int, count: Int
    ) throws(BenchError) -> [Double] {
        var samples: [Double] = []
        for i in 0..<count {
            let request = FairwayRequests.submits(generator.make(batch)[...], batchSize: batch, firstID: i + 1)[0]
            let (line, seconds) = try connection.roundTrip(request.bytes)
            try AnswerCheck.submit(line, expected: batch)
            samples.append(seconds)
        }
        return samples
    }
}

/// The single-order round trip scenario: a fresh daemon per run, one client
/// sending one single-order `submit` at a time (after 50 not counted).
struct LatencyBench {
    let options: BenchOptions
    let report: Report

    func run() throws(BenchError) {
        progress("single-order submit round trip: \(options.runs) runs of \(grouped(options.singleSubmits)) submits")
        var runs: [LatencyRun] = []
        for run in 0..<options.runs {
            let daemon = try DaemonProcess(options: options, label: "roundtrip")
            defer { daemon.remove() }
            try daemon.start()
            Quiet.wait(patience: options.quietPatience)
            let connection = try daemon.connect()
            var generator = OrderGenerator(style: .sequential, depots: DaemonProcess.depots, seed: options.seed &+ 100 &+ UInt64(run))
            _ = try RoundTrips.singleSubmits(connection, &generator, count: 50)
            let latency = LatencyRun(try RoundTrips.singleSubmits(connection, &generator, count: options.singleSubmits))
            try daemon.stop()
            progress("  run \(run + 1): p50 \(fixed(latency.p50 * 1000, 3)) ms, p99 \(fixed(latency.p99 * 1000, 3)) ms")
            runs.append(latency)
        }
        let section = "single-order submit round trip (\(grouped(options.singleSubmits)) sequential submits/run, fresh daemon)"
        report.add(section, "p50", .milliseconds, runs.map { $0.p50 * 1000 }, target: .atMost(0.4))
        report.add(section, "p99", .milliseconds, runs.map { $0.p99 * 1000 })
    }
}
