import Foundation
import Glibc

/// A child process started with posix_spawn (Foundation's Process is not
/// safe to start from several threads at once here).
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    private var status: Int32?

    private init(pid: pid_t) { self.pid = pid }

    /// Starts `path` with `arguments`; stdout goes to /dev/null, stderr is
    /// appended to `stderrPath` (or /dev/null), stdin from `stdinPath` or /dev/null.
    static func spawn(
        _ path: String, arguments: [String], environment: [String: String], stderrPath: String? = nil,
        stdoutPath: String? = nil, stdinPath: String? = nil
    ) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard rc == 0 else { throw FixtureError("posix_spawn \(path): \(String(cString: strerror(rc)))") }
        return ChildProcess(pid: pid)
    }

    /// The exit status (or 128 + signal) if the child has ended, without waiting.
    func exitStatus() -> Int32? {
        if let status { return status }
        var s: Int32 = 0
        let r = waitpid(pid, &s, WNOHANG)
        guard r == pid else { return nil }
        status = Self.decode(s)
        return status
    }

    /// Waits for the child to end; returns its exit status (or 128 + signal).
    func wait() -> Int32 {
        if let status { return status }
        var s: Int32 = 0
        while waitpid(pid, &s, 0) == -1 && errno == EINTR {}
        status = Self.decode(s)
        return status!
    }

    private static func decode(_ s: Int32) -> Int32 {
        (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f)
    }
}
