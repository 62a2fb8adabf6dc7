// The real fairwayd on a fresh state directory, as the benchmark runs it.

import FairwayPOSIX
import FairwayTestSupport

/// `fairwayd` with its own config, socket and state in a temporary directory
/// (the test kit's ``DaemonFixture``): durability full (as in production),
/// log = stderr, with stderr going to `fairwayd.log` in the directory or to
/// /dev/null.
final class DaemonProcess {
    /// Depots of the benchmark's config; the first is the default.
    static let depots = ["north", "south", "east", "west"]

    private let fixture: DaemonFixture

    /// The scheduling part of the config (tiers, depots, horizon).
    static var config: String {
        var config = """
            [scheduling]
            default-depot = \(depots[0])
            default-tier = standard
            commit-horizon = 2
            lead-slots = 1

            [tier.platinum]
            weight = 8
            [tier.gold]
            weight = 4
            [tier.standard]
            weight = 2
            [tier.basic]
            weight = 1

            """
        for depot in depots { config += "[depot.\(depot)]\nslot-length = 1h\ncapacity = 100\n" }
        return config
    }

    /// Writes the config: four depots with 1 h slots of capacity 100, commit
    /// horizon 2, lead 1, four tiers (weights 8, 4, 2, 1). With more than a
    /// few hundred units per depot, almost every order waits (`queued`).
    init(options: BenchOptions, label: String) throws(BenchError) {
        let config = Self.config
        fixture = try BenchError.wrapping {
            try DaemonFixture(
                config: config, extraDaemon: "durability = full", start: false, executable: options.fairwayd,
                prefix: "fairway-bench-\(label)", base: options.tmpBase, stderrFile: options.logToFile ? "fairwayd.log" : nil)
        }
        fixture.dir.keep = options.keep
    }

    /// The daemon's socket.
    var socketPath: String { fixture.socketPath }

    /// The running daemon.
    var process: ChildProcess? { fixture.process }

    /// Starts fairwayd and waits until it answers `status`; returns the
    /// seconds from posix_spawn to the `status` answer.
    @discardableResult
    func start(timeout: Double = 600) throws(BenchError) -> Double {
        try BenchError.wrapping { try fixture.start(timeout: timeout, pollInterval: 0.001) }
    }

    /// SIGTERM and wait; returns the seconds it took to exit. An exit status
    /// other than 0 is an error.
    @discardableResult
    func stop() throws(BenchError) -> Double {
        let t0 = MonotonicClock.seconds()
        let status = fixture.stop()
        guard status == 0 else { throw BenchError("fairwayd exited with \(status) on SIGTERM; see \(fixture.stderrPath)") }
        return MonotonicClock.seconds() - t0
    }

    /// A new connection to the daemon.
    func connect() throws(BenchError) -> PipelinedConnection { try PipelinedConnection.unix(socketPath) }

    /// The daemon's resident set size now, in bytes.
    var residentBytes: Int { process?.residentBytes ?? 0 }

    /// Kills the daemon if it still runs; its directory goes with the fixture (unless `--keep`).
    func remove() {
        fixture.kill9()
    }
}
