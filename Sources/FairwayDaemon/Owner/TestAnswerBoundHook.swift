#if DEBUG
/// Test-only, compiled into debug builds alone: `FAIRWAY_TEST_ANSWER_CONNECTION_BYTES`
/// replaces the bytes of unread answers per connection beyond which none of
/// its answers is started (1 MiB, `AnswerBudget.defaultConnectionBytes`), so
/// the end-to-end tests can see a client that never reads held to one answer
/// with answers of a few hundred kB. Release builds have no such hook and
/// ignore the variable.
enum TestAnswerBoundHook {
    /// The environment variable giving the bound in bytes.
    static let environmentVariable = "FAIRWAY_TEST_ANSWER_CONNECTION_BYTES"

    /// The bound the environment asks for, or `nil` when the variable is unset or not a positive number.
    static func fromEnvironment() -> Int? {
        TestHookEnvironment.positive(environmentVariable)
    }
}
#endif
