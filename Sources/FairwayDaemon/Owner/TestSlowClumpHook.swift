#if DEBUG
import Glibc

/// Test-only, compiled into debug builds alone: `FAIRWAY_TEST_SUBMIT_PAUSE_MS`
/// makes the state owner sleep that long at every pause of a submit, so that
/// a clump of a few thousand orders takes seconds and the end-to-end tests
/// can look orders up, deterministically, while it is being applied. Release
/// builds have no such hook and ignore the variable.
struct TestSlowClumpHook: Sendable {
    /// The environment variable giving the sleep in milliseconds.
    static let environmentVariable = "FAIRWAY_TEST_SUBMIT_PAUSE_MS"

    let microseconds: UInt32

    /// The hook the environment asks for, or `nil` when the variable is unset or not a positive number.
    static func fromEnvironment() -> TestSlowClumpHook? {
        TestHookEnvironment.positive(environmentVariable, as: UInt32.self).map { TestSlowClumpHook(microseconds: $0 * 1000) }
    }

    func sleep() { usleep(microseconds) }
}
#endif
