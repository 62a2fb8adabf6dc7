// The real fairwayd on a fresh state directory, as the benchmark runs it.

import FairwayPOSIX
import Foundation
import Glibc

/// A fresh temporary directory (`mkdtemp`), removed by `remove()` unless kept.
struct TemporaryDirectory: Sendable {
    let path: String

    init(base: String, label: String) throws(BenchError) {
        var template = Array("\(base)/fairway-bench-\(label)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw BenchError("mkdtemp in \(base): \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// `fairwayd` with its own config, socket and state in a temporary directory:
/// durability full (as in production), log = stderr, with stderr going to
/// `fairwayd.log` in the directory or to /dev/null.
final class DaemonProcess {
    /// Depots of the benchmark's config; the first is the default.
    static let depots = ["north", "south", "east", "west"]

    let directory: TemporaryDirectory
    let socketPath: String
    let configPath: String
    let logPath: String
    private let executable: String
    private let keep: Bool
    private(set) var process: ChildProcess?

    /// Writes the config: four depots with 1 h slots of capacity 100, commit
    /// horizon 2, lead 1, four tiers (weights 8, 4, 2, 1). With more than a
    /// few hundred units per depot, almost every order waits (`queued`).
    init(options: BenchOptions, label: String) throws(BenchError) {
        directory = try TemporaryDirectory(base: options.tmpBase, label: label)
        socketPath = directory.path + "/fairway.sock"
        configPath = directory.path + "/fairway.conf"
        logPath = options.logToFile ? directory.path + "/fairwayd.log" : "/dev/null"
        executable = options.fairwayd
        keep = options.keep
        var text = """
            [daemon]
            socket = \(socketPath)
            state-directory = \(directory.path)/state
            log = stderr
            durability = full

            [scheduling]
            default-depot = \(Self.depots[0])
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
        for depot in Self.depots { text += "[depot.\(depot)]\nslot-length = 1h\ncapacity = 100\n" }
        do {
            try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        } catch {
            throw BenchError("cannot write \(configPath): \(error)")
        }
    }

    /// Starts fairwayd and waits until it answers `status`; returns the
    /// seconds from posix_spawn to the `status` answer.
    @discardableResult
    func start(timeout: Double = 600) throws(BenchError) -> Double {
        let p = try ChildProcess.spawn(executable, arguments: ["--config", configPath], stderrPath: logPath)
        process = p
        let deadline = p.spawnedAt + timeout
        while MonotonicClock.seconds() < deadline {
            if let status = p.exitStatus() { throw BenchError("fairwayd exited with \(status); see \(logPath)") }
            if let c = try? PipelinedConnection.unix(socketPath), let answer = try? c.roundTrip(FairwayRequests.status()) {
                let ready = MonotonicClock.seconds() - p.spawnedAt
                try AnswerCheck.ok(answer.line)
                return ready
            }
            usleep(1_000)
        }
        throw BenchError("fairwayd did not answer status within \(Int(timeout)) s; see \(logPath)")
    }

    /// SIGTERM and wait; returns the seconds it took to exit. An exit status
    /// other than 0 is an error.
    @discardableResult
    func stop() throws(BenchError) -> Double {
        guard let p = process else { return 0 }
        let t0 = MonotonicClock.seconds()
        let status = p.terminate()
        process = nil
        guard status == 0 else { throw BenchError("fairwayd exited with \(status) on SIGTERM; see \(logPath)") }
        return MonotonicClock.seconds() - t0
    }

    /// A new connection to the daemon.
    func connect() throws(BenchError) -> PipelinedConnection { try PipelinedConnection.unix(socketPath) }

    /// The daemon's resident set size now, in bytes.
    var residentBytes: Int { process?.residentBytes ?? 0 }

    /// Kills the daemon if it still runs and removes its directory (unless `--keep`).
    func remove() {
        process?.killNow()
        process = nil
        if !keep { directory.remove() }
    }
}
