// A child process started with posix_spawn, and what /proc says about it.

import FairwayPOSIX
import Foundation
import Glibc

/// A process the benchmark started (fairwayd or beanstalkd).
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    /// Monotonic time just before posix_spawn.
    let spawnedAt: Double
    private var status: Int32?

    private init(pid: pid_t, spawnedAt: Double) {
        self.pid = pid
        self.spawnedAt = spawnedAt
    }

    /// Starts `path` with `arguments`; stdin is /dev/null, stdout goes to
    /// `stdoutPath` (truncated), stderr is appended to `stderrPath`.
    static func spawn(
        _ path: String, arguments: [String], stderrPath: String, stdoutPath: String = "/dev/null"
    ) throws(BenchError) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        var environment = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "LISTEN_FDS", "LISTEN_PID"] {
            environment[key] = nil
        }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let started = MonotonicClock.seconds()
        let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard rc == 0 else { throw BenchError("posix_spawn \(path): \(String(cString: strerror(rc)))") }
        return ChildProcess(pid: pid, spawnedAt: started)
    }

    /// The exit status (or 128 + signal) if it has ended, without waiting.
    func exitStatus() -> Int32? {
        if let status { return status }
        var s: Int32 = 0
        guard waitpid(pid, &s, WNOHANG) == pid else { return nil }
        status = Self.decode(s)
        return status
    }

    /// Waits for it to end; returns its exit status (or 128 + signal).
    @discardableResult
    func wait() -> Int32 {
        if let status { return status }
        var s: Int32 = 0
        while waitpid(pid, &s, 0) == -1 && errno == EINTR {}
        status = Self.decode(s)
        return status!
    }

    /// SIGTERM, then waits; returns the exit status.
    @discardableResult
    func terminate() -> Int32 {
        if let status { return status }
        kill(pid, SIGTERM)
        return wait()
    }

    /// SIGKILL, then waits (for clean-up after a failure).
    func killNow() {
        guard exitStatus() == nil else { return }
        kill(pid, SIGKILL)
        wait()
    }

    private static func decode(_ s: Int32) -> Int32 {
        (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f)
    }

    /// A `kB` line of /proc/PID/status (`VmRSS`, `VmHWM`), in bytes.
    func statusBytes(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.dropFirst(field.count + 1).filter(\.isNumber)
            return Int(digits).map { $0 * 1024 }
        }
        return nil
    }

    /// Resident set size now, in bytes.
    var residentBytes: Int { statusBytes("VmRSS") ?? 0 }

    /// User + system CPU seconds the process (all its threads) has used.
    var cpuSeconds: Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return 0 }
        // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
