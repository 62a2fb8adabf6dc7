import Glibc

/// Runs `body` with the given environment variables set (a `nil` value unsets
/// the variable), then puts back what was there before, whatever `body` did to
/// them meanwhile.
@discardableResult
func withEnvironment<R>(
    _ changes: [String: String?], _ body: () throws -> R
) rethrows -> R {
    let saved = changes.keys.map { name in (name, getenv(name).map { String(cString: $0) }) }
    defer {
        for (name, value) in saved {
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
    }
    for (name, value) in changes {
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }
    return try body()
}

/// The value of the environment variable `name`, or `nil`.
func environmentValue(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}
