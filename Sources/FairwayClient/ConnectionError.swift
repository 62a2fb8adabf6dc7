// Why talking to the daemon failed, as a value.

import Glibc

/// A failure to reach the daemon or to get its answers.
public struct ConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Equatable {
        /// The socket could not be created or connected.
        case connect
        /// Writing a request failed.
        case send
        /// Reading an answer failed.
        case receive
        /// The daemon closed the connection before every answer came.
        case closed
        /// The daemon made no progress for the whole timeout.
        case timedOut
        /// An answer line was longer than the client accepts.
        case replyTooLong
    }

    /// What went wrong.
    public var kind: Kind
    /// The socket path.
    public var path: String
    /// The `errno` of the failed call, or 0.
    public var errorNumber: Int32
    /// For ``Kind/timedOut``: the timeout in seconds.
    public var timeoutSeconds: Int

    /// A connection error.
    public init(kind: Kind, path: String, errorNumber: Int32 = 0, timeoutSeconds: Int = 0) {
        self.kind = kind
        self.path = path
        self.errorNumber = errorNumber
        self.timeoutSeconds = timeoutSeconds
    }

    /// One line for a person, e.g. `cannot reach fairwayd at /run/fairway/fairway.sock: No such file or directory`.
    public var description: String {
        switch kind {
        case .connect:
            return "cannot reach fairwayd at \(path): \(systemErrorText(errorNumber))"
        case .send, .receive:
            return "lost the connection to fairwayd at \(path): \(systemErrorText(errorNumber))"
        case .closed:
            return "fairwayd at \(path) closed the connection before answering"
        case .timedOut:
            return "fairwayd at \(path) did not answer within \(timeoutSeconds) s"
        case .replyTooLong:
            return "fairwayd at \(path) sent an answer too long to read"
        }
    }
}
