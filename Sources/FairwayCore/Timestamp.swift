/// An instant as milliseconds since the Unix epoch, UTC.
///
/// The core never reads a clock: every operation that depends on time takes a
/// `Timestamp` as a parameter. Answers on the wire show whole seconds; requests
/// may carry fractions, which are kept to the millisecond.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: Int64

    /// Creates an instant from milliseconds since the epoch.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Creates an instant from whole seconds since the epoch.
    public init(seconds: Int64) { self.milliseconds = seconds * 1000 }

    /// Whole seconds since the epoch, rounded towards negative infinity.
    public var seconds: Int64 {
        milliseconds >= 0 ? milliseconds / 1000 : -((-milliseconds + 999) / 1000)
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }

    /// This instant moved by a number of seconds.
    public func adding(seconds: Int64) -> Timestamp { Timestamp(milliseconds: milliseconds + seconds * 1000) }

    public var description: String { rfc3339 }
}
