/// An error with a stable code, as the wire contract names them, and a message
/// for a person that says what was wrong.
public struct FairwayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable error codes of the wire contract.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        case badJSON = "bad_json"
        case lineTooLong = "line_too_long"
        case unknownOp = "unknown_op"
        case invalidArgument = "invalid_argument"
        case notFound = "not_found"
        case conflict = "conflict"
        case forbidden = "forbidden"
        case overBudget = "over_budget"
        case unavailable = "unavailable"
        case `internal` = "internal"
    }

    /// The stable code.
    public var code: Code
    /// What went wrong, for a person.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// A missing, mistyped or out-of-range argument; the message names it.
    public static func invalid(_ message: String) -> FairwayError { FairwayError(.invalidArgument, message) }
    /// Nothing with that identity exists.
    public static func notFound(_ message: String) -> FairwayError { FairwayError(.notFound, message) }
    /// The request contradicts what is stored.
    public static func conflict(_ message: String) -> FairwayError { FairwayError(.conflict, message) }
}
