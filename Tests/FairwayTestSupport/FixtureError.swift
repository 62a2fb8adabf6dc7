// The one error type of the test kit.

/// A fixture or helper that could not do its part (spawn, bind, connect, a
/// daemon that did not come up): the message says what and why.
public struct FixtureError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for a person.
    public let description: String

    /// An error with `description` as its message.
    public init(_ description: String) { self.description = description }
}
