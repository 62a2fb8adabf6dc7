// A child process started with posix_spawn: started, watched, signalled, reaped.

public import FairwayPOSIX
import Foundation
public import Glibc

/// A process a test or the bench started (`fairwayd`, journald, a tool).
///
/// Started with `posix_spawn` (Foundation's `Process` is not safe to start
/// from several threads at once): standard input from a file or /dev/null,
/// standard output truncated into a file, standard error appended to one (or
/// sharing standard output's file), every other descriptor closed, default
/// signal dispositions and an empty signal mask whatever the test runner set.
public final class ChildProcess: @unchecked Sendable {
    /// The child's process id.
    public let pid: pid_t
    /// ``MonotonicClock/seconds()`` just before `posix_spawn`.
    public let spawnedAt: Double
    /// The decoded exit status once reaped (only touched by the thread that owns the object).
    private var status: Int32?

    private init(pid: pid_t, spawnedAt: Double) {
        self.pid = pid
        self.spawnedAt = spawnedAt
    }

    /// The variables systemd passes to a service, which no child may inherit
    /// from the test process by accident.
    public static let systemdVariables = [
        "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
    ]

    /// This process's environment without anything systemd would pass.
    public static func plainEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in systemdVariables { environment[name] = nil }
        return environment
    }

    /// A plain `PATH` and `LANG` and nothing of the test process's.
    public static let minimalEnvironment = [
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
    ]

    /// Starts `path` with `arguments` and `environment`.
    ///
    /// Standard input comes from `stdinPath`; standard output is truncated
    /// into `stdoutPath`; standard error is appended to `stderrPath`, or
    /// shares standard output's file when both paths are the same. With
    /// `newSession` the child leads a session of its own (`setsid`), so the
    /// test runner's terminal signals do not reach it.
    public static func spawn(
        _ path: String, arguments: [String], environment: [String: String] = plainEnvironment(),
        stderrPath: String? = nil, stdoutPath: String? = nil, stdinPath: String? = nil, newSession: Bool = false
    ) throws(SystemCallError) -> ChildProcess {
        let stdoutFile = stdoutPath ?? "/dev/null"
        let stderrFile = stderrPath ?? "/dev/null"
        var actions = posix_spawn_file_actions_t()
        try syscallReturningError("posix_spawn_file_actions_init") { posix_spawn_file_actions_init(&actions) }
        defer { posix_spawn_file_actions_destroy(&actions) }
        try syscallReturningError("posix_spawn_file_actions_addopen") {
            posix_spawn_file_actions_addopen(&actions, 0, stdinPath ?? "/dev/null", O_RDONLY, 0)
        }
        try syscallReturningError("posix_spawn_file_actions_addopen") {
            posix_spawn_file_actions_addopen(&actions, 1, stdoutFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        if stderrFile == stdoutFile && stdoutFile != "/dev/null" {
            try syscallReturningError("posix_spawn_file_actions_adddup2") { posix_spawn_file_actions_adddup2(&actions, 1, 2) }
        } else {
            try syscallReturningError("posix_spawn_file_actions_addopen") {
                posix_spawn_file_actions_addopen(&actions, 2, stderrFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            }
        }
        try closeFromThree(&actions)

        var attributes = posix_spawnattr_t()
        try syscallReturningError("posix_spawnattr_init") { posix_spawnattr_init(&attributes) }
        defer { posix_spawnattr_destroy(&attributes) }
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        // POSIX_SPAWN_SETSID (0x80, glibc ≥ 2.26) is GNU-only, so not imported.
        if newSession { flags |= 0x80 }
        try syscallReturningError("posix_spawnattr_setsigdefault") { posix_spawnattr_setsigdefault(&attributes, &allSignals) }
        try syscallReturningError("posix_spawnattr_setsigmask") { posix_spawnattr_setsigmask(&attributes, &noSignals) }
        try syscallReturningError("posix_spawnattr_setflags") { posix_spawnattr_setflags(&attributes, Int16(flags)) }

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let started = MonotonicClock.seconds()
        try syscallReturningError("posix_spawn \(path)") { posix_spawn(&pid, path, &actions, &attributes, argv, envp) }
        return ChildProcess(pid: pid, spawnedAt: started)
    }

    /// The exit status (or 128 + signal) if the child has ended, without
    /// waiting; -1 when it cannot be had (the child was reaped elsewhere).
    public func exitStatus() -> Int32? {
        if let status { return status }
        var raw: Int32 = 0
        let pid = self.pid
        do {
            guard try syscall("waitpid \(pid)", { waitpid(pid, &raw, WNOHANG) }) == pid else { return nil }
            status = Self.decode(raw)
        } catch {
            status = -1
        }
        return status
    }

    /// Waits for the child to end; returns its exit status (or 128 + signal),
    /// -1 when it cannot be had (the child was reaped elsewhere).
    @discardableResult
    public func wait() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        let pid = self.pid
        let decoded = (try? syscall("waitpid \(pid)") { waitpid(pid, &raw, 0) }) == nil ? -1 : Self.decode(raw)
        status = decoded
        return decoded
    }

    /// Waits up to `timeout` seconds for the child to end; on timeout kills
    /// it with SIGKILL and returns `nil`.
    public func wait(timeout: Double) -> Int32? {
        if waitUntil(timeout: timeout, { exitStatus() != nil }) { return exitStatus() }
        killNow()
        return nil
    }

    /// Sends `signal` unless the child has been reaped already (until then
    /// its pid is its own, even once it has exited).
    public func signal(_ signal: Int32) {
        guard status == nil else { return }
        let pid = self.pid
        // Cannot fail: the pid is our unreaped child, the signal a valid one.
        _ = try? syscall("kill \(pid)") { kill(pid, signal) }
    }

    /// SIGTERM, then waits; returns the exit status.
    @discardableResult
    public func terminate() -> Int32 {
        signal(SIGTERM)
        return wait()
    }

    /// SIGKILL, then waits (`kill -9`, or clean-up after a failure).
    public func killNow() {
        guard exitStatus() == nil else { return }
        signal(SIGKILL)
        wait()
    }

    /// A `waitpid` status decoded: the exit code, or 128 + the signal number.
    private static func decode(_ raw: Int32) -> Int32 {
        (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }
}

/// Adds "close every descriptor from 3 up" to `actions` with glibc's
/// `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time
/// because Swift's Glibc module does not import GNU extensions.
private func closeFromThree(_ actions: inout posix_spawn_file_actions_t) throws(SystemCallError) {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
    else { return }
    try syscallReturningError("posix_spawn_file_actions_addclosefrom_np") {
        unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }
}
