import Foundation
import Glibc

/// Makes sure a real journald listens on `/run/systemd/journal/socket` while a
/// test runs, and reads back what it stored with `journalctl`.
///
/// `/lib/systemd/systemd-journald` runs fine without systemd as PID 1 when
/// started as root: it creates `/run/systemd/journal/{socket,stdout,dev-log}`
/// itself and stores entries in `/run/log/journal/<machine-id>/` (volatile: it
/// is never asked to flush to /var), where `journalctl` finds them at once.
///
/// Use:
/// ```swift
/// let journald = try JournaldFixture.start()
/// defer { journald.stop() }
/// ```
/// A journald that is already running (ours from an earlier run, another test
/// process's, or a real one) is used as is and never stopped. One this fixture
/// started is stopped by ``stop()`` unless another process that called
/// ``start()`` is still using it (tracked with a shared `flock`), in which case
/// it is left running for them. Start and stop are serialised across processes
/// by a second lock, so two test processes never start two journalds.
final class JournaldFixture: Sendable {
    /// The journald binary on Debian 12.
    static let journaldPath = "/lib/systemd/systemd-journald"
    /// The journalctl binary.
    static let journalctlPath = "/usr/bin/journalctl"
    /// Serialises start and stop across test processes.
    static let mutexPath = "/tmp/fairway-journald-fixture.lock"
    /// Held shared by every process using journald through this fixture.
    static let usersPath = "/tmp/fairway-journald-fixture.users"
    /// Where the journald this fixture starts writes its own stdout and stderr.
    static let logPath = "/tmp/fairway-journald-fixture.log"

    /// The pid of the journald this fixture started, or `nil` when one was already running.
    let startedPID: pid_t?
    /// The descriptor holding the shared lock on ``usersPath``.
    private let usersFD: Int32

    private init(startedPID: pid_t?, usersFD: Int32) {
        self.startedPID = startedPID
        self.usersFD = usersFD
    }

    /// `true` when this environment can run journald at all: root, and the
    /// binary present (or a journald already running).
    static var canRun: Bool {
        isRunning() || (getuid() == 0 && access(journaldPath, X_OK) == 0)
    }

    /// `true` when something accepts datagrams on the journal socket. A socket
    /// file left behind by an exited journald refuses the connection.
    static func isRunning() -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard var address = try? UnixSockets.address("/run/systemd/journal/socket") else { return false }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }

    /// Ensures journald is running, starting it when needed, and waits up to
    /// `timeout` for its socket to accept connections.
    static func start(timeout: Duration = .seconds(10)) throws -> JournaldFixture {
        let mutex = try lockFile(mutexPath, LOCK_EX)
        defer { close(mutex) }
        let users = try lockFile(usersPath, LOCK_SH)
        if isRunning() {
            return JournaldFixture(startedPID: nil, usersFD: users)
        }
        do {
            // journald makes these itself; making them first costs nothing.
            mkdir("/run/systemd", 0o755)
            mkdir("/run/systemd/journal", 0o755)
            let pid = try spawnChild(
                journaldPath, [], stdoutPath: logPath, stderrPath: logPath, newSession: true)
            let deadline = ContinuousClock.now + timeout
            while !isRunning() {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    throw TestFailure(
                        "systemd-journald exited with \(exitCode(fromWaitStatus: status)): \(readFile(logPath))")
                }
                if ContinuousClock.now > deadline {
                    kill(pid, SIGKILL)
                    _ = waitForExit(pid)
                    throw TestFailure("systemd-journald did not open its socket within \(timeout)")
                }
                usleep(20_000)
            }
            return JournaldFixture(startedPID: pid, usersFD: users)
        } catch {
            close(users)
            throw error
        }
    }

    /// Releases this user's claim; stops the journald this fixture started
    /// unless another process is still using it.
    func stop() {
        guard let mutex = try? Self.lockFile(Self.mutexPath, LOCK_EX) else { return }
        defer { close(mutex) }
        close(usersFD)
        guard let pid = startedPID else { return }
        // Anyone else still holding the shared lock keeps journald alive.
        let probe = open(Self.usersPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard probe >= 0 else { return }
        defer { close(probe) }
        guard flock(probe, LOCK_EX | LOCK_NB) == 0 else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(5)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                _ = waitForExit(pid)
                return
            }
            usleep(20_000)
        }
    }

    /// Opens (creating) `path` and takes `operation` (`LOCK_EX` or `LOCK_SH`) on it.
    private static func lockFile(_ path: String, _ operation: Int32) throws -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TestFailure("open \(path): errno \(errno)") }
        while flock(fd, operation) != 0 {
            if errno == EINTR { continue }
            let saved = errno
            close(fd)
            throw TestFailure("flock \(path): errno \(saved)")
        }
        return fd
    }

    /// The entries matching `NAME=value` (journalctl match syntax) as JSON
    /// objects, polling every 100 ms until at least `count` are there or
    /// `timeout` has passed. Field values are decoded to strings (journalctl
    /// prints non-UTF-8 or binary values as arrays of bytes).
    static func entries(
        matching match: String, atLeast count: Int = 1, timeout: Duration = .seconds(10)
    ) async throws -> [[String: String]] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let result = try runCommand(
                journalctlPath, ["-o", "json", "--all", "--no-pager", "--quiet", match])
            let found = try parse(result.stdout)
            if found.count >= count || ContinuousClock.now > deadline { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Parses journalctl's `-o json` output: one object per line.
    static func parse(_ output: String) throws -> [[String: String]] {
        var entries: [[String: String]] = []
        for line in output.split(separator: "\n") where !line.isEmpty {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            guard let fields = object as? [String: Any] else { continue }
            var entry: [String: String] = [:]
            for (name, value) in fields {
                switch value {
                case let text as String:
                    entry[name] = text
                case let bytes as [Any]:
                    // Binary-safe form; a repeated field becomes an array of values.
                    if let numbers = bytes as? [Int] {
                        entry[name] = String(decoding: numbers.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
                    } else {
                        entry[name] = bytes.map { "\($0)" }.joined(separator: "\u{1F}")
                    }
                default:
                    entry[name] = "\(value)"
                }
            }
            entries.append(entry)
        }
        return entries
    }
}
