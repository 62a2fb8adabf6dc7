import Dispatch
import FairwayProtocol
import Foundation
import Glibc
import Synchronization

/// Helpers for the systemd end-to-end tests: a test-owned `NOTIFY_SOCKET`,
/// polling, the monotonic clock, commands run to completion, configs with a
/// chosen `log` sink.

/// `CLOCK_MONOTONIC` in seconds: the clock of `MONOTONIC_USEC=` and of the watchdog.
func monotonicNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Polls `condition` every `interval` seconds until it holds or `timeout`
/// seconds have passed; returns whether it held.
func waitUntil(timeout: Double, interval: Double = 0.02, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = monotonicNow() + timeout
    while true {
        if try condition() { return true }
        if monotonicNow() > deadline { return false }
        usleep(useconds_t(interval * 1_000_000))
    }
}

/// A datagram socket bound in a test's directory that plays the service
/// manager: the daemon gets its path as `NOTIFY_SOCKET`, and a reader thread
/// records every message with the monotonic time it arrived.
final class NotifyListener: Sendable {
    /// One `sd_notify` datagram.
    struct Message: Sendable {
        /// Monotonic seconds when it was received.
        var at: Double
        /// The raw text: newline-separated `NAME=value` assignments.
        var text: String
        /// The assignments, by name.
        var fields: [String: String]
    }

    /// The socket's path, for `NOTIFY_SOCKET`.
    let path: String
    private let fd: Int32
    private let received = Mutex<[Message]>([])
    private let stopping = Atomic<Bool>(false)
    private let exited = DispatchSemaphore(value: 0)

    /// Binds `path` and starts reading.
    init(path: String) throws {
        self.path = path
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket: \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        let r = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard r == 0 else {
            let e = errno
            close(fd)
            throw FixtureError("bind \(path): \(String(cString: strerror(e)))")
        }
        let thread = Thread { [self] in readLoop() }
        thread.name = "notify-listener"
        thread.start()
    }

    deinit {
        stopping.store(true, ordering: .relaxed)
        exited.wait()
        close(fd)
        unlink(path)
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !stopping.load(ordering: .relaxed) {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 50) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard n > 0 else { continue }
            let text = String(decoding: buffer[..<n], as: UTF8.self)
            var fields: [String: String] = [:]
            for line in text.split(separator: "\n") {
                guard let eq = line.firstIndex(of: "=") else { continue }
                fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
            }
            let message = Message(at: monotonicNow(), text: text, fields: fields)
            received.withLock { $0.append(message) }
        }
        exited.signal()
    }

    /// Every message so far, in arrival order.
    var messages: [Message] { received.withLock { $0 } }

    /// The arrival times of the `WATCHDOG=1` pings so far.
    var pingTimes: [Double] { messages.filter { $0.fields["WATCHDOG"] == "1" }.map(\.at) }

    /// Waits up to `timeout` seconds for a message, from index `after` on,
    /// that satisfies `predicate`; returns its index.
    func waitForMessage(after: Int = 0, timeout: Double = 20, _ predicate: (Message) -> Bool) -> Int? {
        var found: Int?
        _ = waitUntil(timeout: timeout) {
            let all = messages
            guard after < all.count else { return false }
            found = all[after...].firstIndex(where: predicate)
            return found != nil
        }
        return found
    }
}

extension ChildProcess {
    /// Waits up to `timeout` seconds for the process to end; on timeout kills
    /// it with SIGKILL and returns `nil`.
    func wait(timeout: Double) -> Int32? {
        if waitUntil(timeout: timeout, { exitStatus() != nil }) { return exitStatus() }
        kill(pid, SIGKILL)
        _ = wait()
        return nil
    }
}

/// What a finished command left behind.
struct ToolResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The test process's environment without anything systemd would pass.
func plainEnvironment() -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"] {
        env[name] = nil
    }
    return env
}

/// Runs `path` with `arguments` to completion (at most `timeout` seconds).
func runTool(_ path: String, _ arguments: [String], environment: [String: String] = plainEnvironment(), timeout: Double = 120)
    throws -> ToolResult
{
    let dir = TempDir()
    let p = try ChildProcess.spawn(
        path, arguments: arguments, environment: environment, stderrPath: dir.path + "/err", stdoutPath: dir.path + "/out")
    guard let status = p.wait(timeout: timeout) else { throw FixtureError("\(path) \(arguments) ran longer than \(timeout) s") }
    return ToolResult(
        status: status, stdout: (try? String(contentsOfFile: dir.path + "/out", encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: dir.path + "/err", encoding: .utf8)) ?? "")
}

extension DaemonFixture {
    /// The config file's text with `log = <log>` and the fixture's socket and
    /// state directory (the fixture's own writer always logs to stderr).
    func configText(log: String, extraDaemon: String = "", _ body: String = DaemonFixture.defaultConfig) -> String {
        """
        [daemon]
        socket = \(socketPath)
        state-directory = \(dir.path)/state
        log = \(log)
        \(extraDaemon)
        \(body)
        """
    }

    /// Writes ``configText(log:extraDaemon:_:)`` to the config file.
    func writeConfig(log: String, extraDaemon: String = "", _ body: String = DaemonFixture.defaultConfig) throws {
        try configText(log: log, extraDaemon: extraDaemon, body).write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts the daemon with `NOTIFY_SOCKET` pointing at a new listener in
    /// the fixture's directory, plus `environment`.
    func startNotified(_ environment: [String: String] = [:]) throws -> NotifyListener {
        let listener = try NotifyListener(path: dir.path + "/notify.sock")
        try start(environment: environment.merging(["NOTIFY_SOCKET": listener.path]) { a, _ in a })
        return listener
    }

    /// Sends `signal` to the daemon.
    func signal(_ signal: Int32) {
        if let p = process { kill(p.pid, signal) }
    }

    /// Waits up to `timeout` seconds for `text` to appear in the daemon's stderr.
    func waitForStderr(_ text: String, timeout: Double = 20) -> Bool {
        waitUntil(timeout: timeout, interval: 0.05) { stderr().contains(text) }
    }

    /// `status` through a new connection.
    func status() throws -> JSONObject { try client().call(["op": "status"]) }
}

extension JSONObject {
    /// `depots` of a `status` answer, by name.
    var depotsByName: [String: JSONObject] {
        var all: [String: JSONObject] = [:]
        for d in self["depots"]?.arrayValue ?? [] {
            if let o = d.objectValue, let name = o["name"]?.stringValue { all[name] = o }
        }
        return all
    }
}
