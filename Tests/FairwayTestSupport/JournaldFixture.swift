// A real journald for the tests that log to the journal, read back with journalctl.

import FairwayPOSIX
import Foundation
import Glibc

/// Makes sure a real journald listens on `/run/systemd/journal/socket` while a
/// test runs, and reads back what it stored with `journalctl`.
///
/// `/lib/systemd/systemd-journald` runs without systemd as PID 1 when started
/// as root: it creates `/run/systemd/journal/{socket,stdout,dev-log}` itself
/// and stores entries in `/run/log/journal/<machine-id>/` (volatile: it is
/// never asked to flush to /var), where `journalctl` finds them at once.
///
/// ```swift
/// let journald = try JournaldFixture.start()
/// defer { journald.stop() }
/// ```
/// A journald that is already running (one started earlier, another test
/// process's, or a real one) is used as is and never stopped. One this fixture
/// started is stopped by ``stop()`` unless another process that called
/// ``start()`` still uses it (tracked with a shared `flock`); start and stop
/// are serialised across processes by a second lock, so test processes
/// running at once never start two journalds.
public final class JournaldFixture: Sendable {
    /// The journald binary on Debian.
    public static let journaldPath = "/lib/systemd/systemd-journald"
    /// The journalctl binary.
    public static let journalctlPath = "/usr/bin/journalctl"
    /// Where journald takes entries.
    public static let journalSocket = "/run/systemd/journal/socket"
    /// Serialises start and stop across test processes.
    static let mutexPath = "/tmp/fairway-journald-fixture.lock"
    /// Held shared by every process using journald through this fixture.
    static let usersPath = "/tmp/fairway-journald-fixture.users"
    /// Where the journald this fixture starts writes its own output.
    static let logPath = "/tmp/fairway-journald-fixture.log"

    /// The journald this fixture started, or `nil` when one was already running.
    public let started: ChildProcess?
    /// The descriptor holding the shared lock on ``usersPath``.
    private let usersFD: FileDescriptor

    private init(started: ChildProcess?, usersFD: FileDescriptor) {
        self.started = started
        self.usersFD = usersFD
    }

    /// Whether journald can be had here: one running already, or root with
    /// journald and journalctl installed.
    public static var canRun: Bool {
        isRunning() || (getuid() == 0 && access(journaldPath, X_OK) == 0 && access(journalctlPath, X_OK) == 0)
    }

    /// Whether something accepts datagrams on the journal socket (a file left
    /// by an exited journald refuses the connection).
    public static func isRunning() -> Bool {
        UnixSockets.accepts(journalSocket, .datagram)
    }

    /// Ensures journald runs, starting it when needed (in its own session),
    /// and waits up to `timeout` seconds for its socket.
    public static func start(timeout: Double = 10) throws -> JournaldFixture {
        let mutex = try lockFile(mutexPath, LOCK_EX)
        defer { try? mutex.close() }
        let users = try lockFile(usersPath, LOCK_SH)
        if isRunning() { return JournaldFixture(started: nil, usersFD: users) }
        do {
            // journald makes these itself: one that exists already is fine.
            for directory in ["/run/systemd", "/run/systemd/journal"] where mkdir(directory, 0o755) != 0 && errno != EEXIST {
                throw SystemCallError(operation: "mkdir \(directory)", errno: errno)
            }
            let journald = try ChildProcess.spawn(
                journaldPath, arguments: [], environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"],
                stderrPath: logPath, stdoutPath: logPath, newSession: true)
            let up = waitUntil(timeout: timeout) { journald.exitStatus() != nil || isRunning() }
            if let status = journald.exitStatus() {
                throw FixtureError("systemd-journald exited with \(status): \(readFile(logPath))")
            }
            if !up {
                journald.killNow()
                throw FixtureError("systemd-journald did not open its socket within \(timeout) s")
            }
            return JournaldFixture(started: journald, usersFD: users)
        } catch {
            try? users.close()
            throw error
        }
    }

    /// Releases this user's claim; stops the journald this fixture started
    /// unless another process still uses it.
    public func stop() {
        guard let mutex = try? Self.lockFile(Self.mutexPath, LOCK_EX) else { return }
        defer { try? mutex.close() }
        try? usersFD.close()
        guard let journald = started else { return }
        // Anyone else still holding the shared lock keeps journald alive.
        guard let probe = try? Self.lockFile(Self.usersPath, LOCK_EX | LOCK_NB) else { return }
        defer { try? probe.close() }
        journald.signal(SIGTERM)
        _ = journald.wait(timeout: 5)
    }

    /// Opens (creating) `path` and takes `operation` (`LOCK_EX` or `LOCK_SH`,
    /// with `LOCK_NB` or not) on it.
    private static func lockFile(_ path: String, _ operation: Int32) throws(SystemCallError) -> FileDescriptor {
        let fd = FileDescriptor(owning: try syscall("open \(path)") { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600) })
        let raw = fd.rawValue
        try syscall("flock \(path)") { flock(raw, operation) }
        return fd
    }

    /// The entries matching every `NAME=value` (journalctl match syntax), as
    /// field dictionaries, polling every 100 ms until at least `count` are
    /// there or `timeout` seconds have passed.
    public static func entries(matching matches: String..., atLeast count: Int = 1, timeout: Double = 20) throws
        -> [[String: String]]
    {
        var found: [[String: String]] = []
        var failure: (any Error)?
        waitUntil(timeout: timeout, interval: 0.1) {
            do {
                let result = try runCommand(journalctlPath, ["-o", "json", "--all", "--no-pager", "--quiet"] + matches, timeout: 30)
                found = try parse(result.stdout)
            } catch {
                failure = error
                return true
            }
            return found.count >= count
        }
        if let failure { throw failure }
        return found
    }

    /// journalctl's `-o json`: one object per line. A value journalctl prints
    /// as an array of bytes (binary or not UTF-8) is decoded as UTF-8; a
    /// repeated field's values are joined with U+001F.
    public static func parse(_ output: String) throws -> [[String: String]] {
        var entries: [[String: String]] = []
        for line in output.split(separator: "\n") where !line.isEmpty {
            guard let fields = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            var entry: [String: String] = [:]
            for (name, value) in fields {
                switch value {
                case let text as String: entry[name] = text
                case let bytes as [Int]: entry[name] = String(decoding: bytes.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
                case let many as [Any]: entry[name] = many.map { "\($0)" }.joined(separator: "\u{1F}")
                default: entry[name] = "\(value)"
                }
            }
            entries.append(entry)
        }
        return entries
    }
}
