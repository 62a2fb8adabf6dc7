#if DEBUG
/// Test-only, compiled into debug builds alone: `FAIRWAY_TEST_WATCH_BOUND`
/// replaces the number of events that may wait for one watcher (10,000), so
/// the end-to-end tests can see a watcher overflow after a few hundred
/// events. Release builds have no such hook and ignore the variable.
enum TestWatchBoundHook {
    /// The environment variable giving the bound in events.
    static let environmentVariable = "FAIRWAY_TEST_WATCH_BOUND"

    /// The bound the environment asks for, or `nil` when the variable is unset or not a positive number.
    static func fromEnvironment() -> Int? {
        TestHookEnvironment.positive(environmentVariable)
    }
}
#endif
