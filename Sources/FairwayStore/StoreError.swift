/// A storage failure: what was being done, SQLite's result code and message.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// Why the store failed, for deciding how to answer.
    public enum Kind: String, Sendable {
        /// The disk is full or the state directory is read-only: retry later.
        case unavailable
        /// The file is not a Fairway database, or is damaged.
        case foreign
        /// Anything else.
        case failed
    }

    public var kind: Kind
    /// SQLite's (extended) result code, or 0.
    public var code: Int32
    /// What was being done and what SQLite said.
    public var message: String

    public init(kind: Kind, code: Int32, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
