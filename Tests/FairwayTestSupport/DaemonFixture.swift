// The real fairwayd on a temporary config, socket and state directory.

import FairwayPOSIX
public import FairwayProtocol
import Foundation
import Glibc

/// Where the built executables are: `FAIRWAY_BIN_DIR`, else the directory of
/// the running test bundle that holds `fairwayd`, else `.build/debug`.
public func binaryDirectory() -> String {
    if let dir = ProcessInfo.processInfo.environment["FAIRWAY_BIN_DIR"], !dir.isEmpty { return dir }
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    // .build/<triple>/debug/fairwayPackageTests.xctest
    while url.path != "/" {
        if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("fairwayd").path) { return url.path }
        url.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug").path
}

/// The real `fairwayd` in a directory of its own: its config file, socket,
/// state directory and standard error log are there, and it is killed
/// (`kill -9`) and the directory removed when the fixture goes.
///
/// ```swift
/// let d = try DaemonFixture()                 // written and started
/// #expect(try d.client().call(["op": "status"]).isOK)
/// d.kill9(); try d.start()                    // a crash and a restart
/// #expect(d.stop() == 0)                      // SIGTERM, exit status
/// ```
public final class DaemonFixture: @unchecked Sendable {
    /// The fixture's directory.
    public let dir: TemporaryDirectory
    /// The running (or last) daemon process. A test that starts `fairwayd`
    /// itself (one that must not wait for readiness) sets it, so that
    /// ``stop()``, ``kill9()`` and the clean-up apply to that one.
    public var process: ChildProcess?
    /// `dir/fairway.conf`.
    public let configPath: String
    /// `dir/fairway.sock`.
    public let socketPath: String
    /// Where the daemon's standard error goes (appended across restarts).
    public let stderrPath: String
    /// The `fairwayd` binary started.
    public let executable: String

    /// The scheduling part of the config the tests use: depots `main` (1 h
    /// slots of 10) and `south` (1 d slots of 100), tiers platinum, gold, standard.
    public static let defaultConfig = """
        [scheduling]
        default-depot = main
        default-tier = standard
        commit-horizon = 2
        lead-slots = 1
        [tier.platinum]
        weight = 8
        [tier.gold]
        weight = 4
        [tier.standard]
        weight = 2
        [depot.main]
        slot-length = 1h
        capacity = 10
        [depot.south]
        slot-length = 1d
        capacity = 100
        """

    /// Makes the directory, writes the config (`[daemon]` with the fixture's
    /// socket, state directory and `log = stderr`, then `extraDaemon`, then
    /// `config`) and, with `start`, starts the daemon with `environment`.
    ///
    /// `executable` defaults to `fairwayd` in ``binaryDirectory()``; the
    /// directory is `<base>/<prefix>-XXXXXX`; standard error goes to the file
    /// `stderrFile` in it, or to /dev/null when that is `nil`.
    public init(
        config: String = DaemonFixture.defaultConfig, extraDaemon: String = "", start: Bool = true,
        environment: [String: String] = [:], executable: String? = nil, prefix: String = "fairway-e2e",
        base: String = "/tmp", stderrFile: String? = "stderr.log"
    ) throws {
        let dir = try TemporaryDirectory(prefix: prefix, base: base)
        self.dir = dir
        configPath = dir.appending("fairway.conf")
        socketPath = dir.appending("fairway.sock")
        stderrPath = stderrFile.map { dir.appending($0) } ?? "/dev/null"
        self.executable = executable ?? binaryDirectory() + "/fairwayd"
        try writeConfig(config, extraDaemon: extraDaemon)
        if start { try self.start(environment: environment) }
    }

    /// The config file's text: `[daemon]` with the fixture's socket and state
    /// directory and `log = <log>`, then `extraDaemon`, then `body`.
    public func configText(log: String, extraDaemon: String = "", _ body: String = DaemonFixture.defaultConfig) -> String {
        """
        [daemon]
        socket = \(socketPath)
        state-directory = \(dir.path)/state
        log = \(log)
        \(extraDaemon)
        \(body)
        """
    }

    /// Writes the config file with `log = stderr`.
    public func writeConfig(_ config: String, extraDaemon: String = "") throws {
        try writeConfig(log: "stderr", extraDaemon: extraDaemon, config)
    }

    /// Writes ``configText(log:extraDaemon:_:)`` to the config file.
    public func writeConfig(log: String, extraDaemon: String = "", _ body: String = DaemonFixture.defaultConfig) throws {
        try configText(log: log, extraDaemon: extraDaemon, body).write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts the daemon (`--config <configPath>`, or `arguments`) with the
    /// test process's environment less systemd's variables, plus
    /// `environment`, and waits until it answers `status`, polling every
    /// `pollInterval` seconds for at most `timeout`. Returns the seconds
    /// from `posix_spawn` to that answer.
    @discardableResult
    public func start(
        environment: [String: String] = [:], arguments: [String]? = nil, timeout: Double = 20, pollInterval: Double = 0.02
    ) throws -> Double {
        let p = try ChildProcess.spawn(
            executable, arguments: arguments ?? ["--config", configPath],
            environment: ChildProcess.plainEnvironment().merging(environment) { _, new in new }, stderrPath: stderrPath)
        process = p
        let deadline = p.spawnedAt + timeout
        while MonotonicClock.seconds() < deadline {
            if let status = p.exitStatus() { throw FixtureError("fairwayd exited with \(status): \(stderr())") }
            if let c = try? Client(path: socketPath), let r = try? c.call(["op": "status"], timeout: 5), r.isOK {
                return MonotonicClock.seconds() - p.spawnedAt
            }
            usleep(useconds_t(pollInterval * 1_000_000))
        }
        throw FixtureError("fairwayd did not answer within \(timeout) s: \(stderr())")
    }

    /// What the daemon wrote to standard error so far.
    public func stderr() -> String { readFile(stderrPath) }

    /// Waits up to `timeout` seconds for `text` to appear in the daemon's standard error.
    public func waitForStderr(_ text: String, timeout: Double = 20) -> Bool {
        waitUntil(timeout: timeout, interval: 0.05) { stderr().contains(text) }
    }

    /// SIGTERM and waits; returns the exit status (0 when it was not running).
    @discardableResult
    public func stop() -> Int32 {
        guard let p = process else { return 0 }
        if let s = p.exitStatus() { return s }
        return p.terminate()
    }

    /// SIGKILL, no warning, and reaped.
    public func kill9() {
        process?.killNow()
    }

    /// SIGTERM, then started again on the same config and state.
    public func restart() throws {
        stop()
        try start()
    }

    /// Sends `signal` to the daemon (SIGHUP: reload).
    public func signal(_ signal: Int32) {
        process?.signal(signal)
    }

    /// A new connection to the daemon.
    public func client() throws -> Client { try Client(path: socketPath) }

    /// `status` through a new connection.
    public func status() throws -> JSONObject { try client().call(["op": "status"]) }

    /// Starts the daemon with `NOTIFY_SOCKET` pointing at a new listener in
    /// the fixture's directory, plus `environment`.
    public func startNotified(_ environment: [String: String] = [:]) throws -> NotifyListener {
        let listener = try NotifyListener(path: dir.appending("notify.sock"))
        try start(environment: environment.merging(["NOTIFY_SOCKET": listener.path]) { a, _ in a })
        return listener
    }

    deinit { kill9() }
}
