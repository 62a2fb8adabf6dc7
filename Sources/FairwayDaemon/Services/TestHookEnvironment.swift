#if DEBUG
import Glibc

/// How the debug build's test hooks read their environment variables.
enum TestHookEnvironment {
    /// The variable `name` as a positive number, or `nil` when it is unset,
    /// empty, not a number or not above zero.
    static func positive<T: FixedWidthInteger>(_ name: String, as: T.Type = T.self) -> T? {
        guard let raw = getenv(name), let value = T(String(cString: raw)), value > 0 else { return nil }
        return value
    }
}
#endif
