import Glibc

/// A failure talking to systemd, as a value: a stable ``code`` to match on, the
/// `errno` the call reported, and what was being done.
///
/// Matching is by ``code``; ``operation`` is for people reading a log line.
public struct SystemdError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier for the kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable, Hashable {
            case notify
        }

        private let kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// `sd_notify` could not deliver a message to the service manager.
        public static let notify = Code(.notify)

        /// The code's stable name (`"notify"`).
        public var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// The `errno` value the call reported (positive).
    public let errno: Int32
    /// What was being done, for example `sd_notify("READY=1")`.
    public let operation: String

    /// Creates an error. `errno` is stored as a positive number whatever its sign.
    public init(code: Code, errno: Int32, operation: String) {
        self.code = code
        self.errno = errno < 0 ? -errno : errno
        self.operation = operation
    }

    /// `"<operation>: <strerror> (errno <n>)"`.
    public var description: String {
        "\(operation): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
