import Foundation
import Glibc

/// Makes sure a real journald listens on `/run/systemd/journal/socket` while
/// a test runs, and reads back what it stored with `journalctl`.
///
/// The same fixture as FairwaySystemdTests' (same lock files, so the two test
/// targets share one journald when they run at once): `/lib/systemd/systemd-journald`
/// runs without systemd as PID 1 when started as root, creates its sockets
/// itself and stores entries in `/run/log/journal/<machine-id>/`, where
/// `journalctl` finds them at once. A journald already running is used as
/// is and never stopped; one this fixture started is stopped by ``stop()``
/// unless another process that called ``start()`` still uses it.
final class JournaldFixture: Sendable {
    static let journaldPath = "/lib/systemd/systemd-journald"
    static let journalctlPath = "/usr/bin/journalctl"
    static let journalSocket = "/run/systemd/journal/socket"
    /// Serialises start and stop across test processes.
    static let mutexPath = "/tmp/fairway-journald-fixture.lock"
    /// Held shared by every process using journald through this fixture.
    static let usersPath = "/tmp/fairway-journald-fixture.users"
    /// Where the journald this fixture starts writes its own output.
    static let logPath = "/tmp/fairway-journald-fixture.log"

    /// The pid of the journald this fixture started, or `nil` when one was already running.
    let started: pid_t?
    private let usersFD: Int32

    private init(started: pid_t?, usersFD: Int32) {
        self.started = started
        self.usersFD = usersFD
    }

    /// Root and the binary present, or a journald already running.
    static var canRun: Bool {
        isRunning() || (getuid() == 0 && access(journaldPath, X_OK) == 0 && access(journalctlPath, X_OK) == 0)
    }

    /// Something accepts datagrams on the journal socket (a file left by an
    /// exited journald refuses the connection).
    static func isRunning() -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in journalSocket.utf8.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        return withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
        }
    }

    /// Ensures journald runs, starting it when needed (in its own session,
    /// default signal dispositions), and waits for its socket.
    static func start(timeout: Double = 10) throws -> JournaldFixture {
        let mutex = try lockFile(mutexPath, LOCK_EX)
        defer { close(mutex) }
        let users = try lockFile(usersPath, LOCK_SH)
        if isRunning() { return JournaldFixture(started: nil, usersFD: users) }
        do {
            mkdir("/run/systemd", 0o755)
            mkdir("/run/systemd/journal", 0o755)
            let pid = try spawnInNewSession(journaldPath, logPath: logPath)
            var exited = false
            let ok = waitUntil(timeout: timeout) {
                var status: Int32 = 0
                exited = waitpid(pid, &status, WNOHANG) == pid
                return exited || isRunning()
            }
            if exited {
                throw FixtureError("systemd-journald exited: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
            }
            if !ok {
                Self.end(pid, after: 0)
                throw FixtureError("systemd-journald did not open its socket within \(timeout) s")
            }
            return JournaldFixture(started: pid, usersFD: users)
        } catch {
            close(users)
            throw error
        }
    }

    /// Releases this user's claim; stops the journald this fixture started
    /// unless another process still uses it.
    func stop() {
        guard let mutex = try? Self.lockFile(Self.mutexPath, LOCK_EX) else { return }
        defer { close(mutex) }
        close(usersFD)
        guard let pid = started else { return }
        let probe = open(Self.usersPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard probe >= 0 else { return }
        defer { close(probe) }
        guard flock(probe, LOCK_EX | LOCK_NB) == 0 else { return }
        kill(pid, SIGTERM)
        Self.end(pid, after: 5)
    }

    /// Reaps `pid`, killing it with SIGKILL when it has not ended within `seconds`.
    private static func end(_ pid: pid_t, after seconds: Double) {
        var status: Int32 = 0
        if !waitUntil(timeout: seconds, { waitpid(pid, &status, WNOHANG) == pid }) {
            kill(pid, SIGKILL)
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }
    }

    private static func lockFile(_ path: String, _ operation: Int32) throws -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FixtureError("open \(path): errno \(errno)") }
        while flock(fd, operation) != 0 {
            if errno == EINTR { continue }
            let saved = errno
            close(fd)
            throw FixtureError("flock \(path): errno \(saved)")
        }
        return fd
    }

    /// posix_spawn with `POSIX_SPAWN_SETSID`, default signals and an empty mask.
    private static func spawnInNewSession(_ path: String, logPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        // POSIX_SPAWN_SETSID (0x80, glibc ≥ 2.26) is not imported into Swift.
        posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK) | 0x80))
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw FixtureError("posix_spawn \(path): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// The entries matching every `NAME=value`, as field dictionaries, polling
    /// every 100 ms until at least `count` are there or `timeout` has passed.
    static func entries(matching matches: String..., atLeast count: Int = 1, timeout: Double = 20) throws -> [[String: String]] {
        var found: [[String: String]] = []
        var failure: (any Error)?
        _ = waitUntil(timeout: timeout, interval: 0.1) {
            do {
                let result = try runTool(journalctlPath, ["-o", "json", "--all", "--no-pager", "--quiet"] + matches, timeout: 30)
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

    /// journalctl's `-o json`: one object per line; byte-array values decoded as UTF-8.
    static func parse(_ output: String) throws -> [[String: String]] {
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
