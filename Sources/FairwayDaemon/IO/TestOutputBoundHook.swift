#if DEBUG
/// Test-only, compiled into debug builds alone: `FAIRWAY_TEST_MAX_OUTPUT_BYTES`
/// replaces the bound on a connection's unread answers (64 MiB), so the
/// end-to-end tests can see a client that never reads cut off without first
/// making 64 MiB of answers. Release builds have no such hook and ignore the
/// variable.
enum TestOutputBoundHook {
    /// The environment variable giving the bound in bytes.
    static let environmentVariable = "FAIRWAY_TEST_MAX_OUTPUT_BYTES"

    /// The bound the environment asks for, or `nil` when the variable is unset or not a positive number.
    static func fromEnvironment() -> Int? {
        TestHookEnvironment.positive(environmentVariable)
    }
}
#endif
