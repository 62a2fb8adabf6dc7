#if DEBUG
import FairwayPOSIX

/// Test-only, compiled into debug builds alone: when
/// `FAIRWAY_TEST_PEER_CREDENTIALS_ERRNO` holds an errno number, reading a new
/// connection's peer credentials fails with it, as `getsockopt(SO_PEERCRED)`
/// would, so the end-to-end tests can see such a connection refused.
/// Release builds have no such hook and ignore the variable.
struct TestCredentialsHook: Sendable {
    /// The environment variable giving the errno.
    static let environmentVariable = "FAIRWAY_TEST_PEER_CREDENTIALS_ERRNO"

    let errno: Int32

    /// The hook the environment asks for, or `nil` when the variable is unset or not a positive number.
    static func fromEnvironment() -> TestCredentialsHook? {
        TestHookEnvironment.positive(environmentVariable, as: Int32.self).map(TestCredentialsHook.init(errno:))
    }

    /// The failure the real call is replaced with.
    var error: SystemCallError { SystemCallError(operation: "getsockopt SO_PEERCRED", errno: errno) }
}
#endif
