import Glibc

/// What a finished command left behind.
struct CommandResult: Sendable {
    /// The exit status, or 128 + signal number when a signal killed it.
    let status: Int32
    /// Everything written to standard output.
    let stdout: String
    /// Everything written to standard error.
    let stderr: String
}

/// The environment children get: a plain `PATH` and nothing of the test
/// process's (no `NOTIFY_SOCKET`, `LISTEN_*` or `WATCHDOG_*` leaking through).
let childEnvironment = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"]

/// Starts `path` with `arguments` and `environment`, stdin from /dev/null and
/// stdout/stderr to the given files (`/dev/null` by default). Descriptors other
/// than 0, 1 and 2 are closed in the child. Returns its pid.
func spawnChild(
    _ path: String, _ arguments: [String],
    environment: [String] = childEnvironment,
    stdoutPath: String = "/dev/null", stderrPath: String = "/dev/null",
    newSession: Bool = false
) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    closeFromThree(&actions)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // Default signal dispositions and an empty mask, whatever the test runner set.
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
    // POSIX_SPAWN_SETSID (glibc ≥ 2.26) is GNU-only, so not imported.
    if newSession { flags |= 0x80 }
    posix_spawnattr_setflags(&attributes, Int16(flags))

    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
    defer {
        for pointer in argv { free(pointer) }
        for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    guard result == 0 else { throw TestFailure("posix_spawn \(path): errno \(result)") }
    return pid
}

/// Adds "close every descriptor from 3 up" to `actions` with glibc's
/// `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time
/// because Swift's Glibc module does not import GNU extensions.
private func closeFromThree(_ actions: inout posix_spawn_file_actions_t) {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
    else { return }
    _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
}

/// Decodes a `waitpid` status: the exit code, or 128 + the signal number.
func exitCode(fromWaitStatus status: Int32) -> Int32 {
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : 128 + signal
}

/// Waits for `pid` to exit; returns its exit code (see ``exitCode(fromWaitStatus:)``).
func waitForExit(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        if errno != EINTR { return -1 }
    }
    return exitCode(fromWaitStatus: status)
}

/// Runs `path` with `arguments` to completion and collects its output.
func runCommand(
    _ path: String, _ arguments: [String], environment: [String] = childEnvironment
) throws -> CommandResult {
    var template = Array("/tmp/fairway-cmd-XXXXXX".utf8CString)
    guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
        throw TestFailure("mkdtemp: errno \(errno)")
    }
    let directory = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    defer {
        unlink(directory + "/out")
        unlink(directory + "/err")
        rmdir(directory)
    }
    let pid = try spawnChild(
        path, arguments, environment: environment,
        stdoutPath: directory + "/out", stderrPath: directory + "/err")
    let status = waitForExit(pid)
    return CommandResult(
        status: status, stdout: readFile(directory + "/out"), stderr: readFile(directory + "/err"))
}

/// The contents of a file as UTF-8 text; empty when it cannot be read.
func readFile(_ path: String) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        data.append(contentsOf: chunk[..<count])
    }
    return String(decoding: data, as: UTF8.self)
}
