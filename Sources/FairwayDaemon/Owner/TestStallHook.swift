#if DEBUG
import Glibc

/// Test-only, compiled into debug builds alone: while the file named by
/// `FAIRWAY_TEST_STALL_FILE` exists, the state owner stops at the top of its
/// loop, as a stuck scheduler would: no request is answered, no commit is made
/// and no `WATCHDOG=1` is sent until the file is removed. The end-to-end tests
/// use it to watch the watchdog pings stop and resume. Release builds have no
/// such hook and ignore the variable.
struct TestStallHook: Sendable {
    /// The environment variable naming the file.
    static let environmentVariable = "FAIRWAY_TEST_STALL_FILE"

    /// The file whose existence stalls the owner.
    let path: String

    /// The hook the environment asks for, or `nil` when the variable is unset or empty.
    static func fromEnvironment() -> TestStallHook? {
        guard let raw = getenv(environmentVariable), raw.pointee != 0 else { return nil }
        return TestStallHook(path: String(cString: raw))
    }

    /// Returns at once when the file is absent; otherwise logs, polls every
    /// 10 ms until the file is gone, and logs again.
    func waitWhileStalled(_ log: EventLog) {
        guard access(path, F_OK) == 0 else { return }
        log.log("test stall hook: \(path) exists; the state owner waits until it is removed", priority: .warning, event: "test_stall")
        while access(path, F_OK) == 0 { usleep(10_000) }
        log.log("test stall hook: \(path) removed; the state owner resumes", priority: .warning, event: "test_stall")
    }
}
#endif
