/// What is wrong with a trace or with replaying it: the line of the trace
/// and, when one cell is to blame, its column.
public struct TraceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line of the trace file, or 0 when no line is to blame.
    public var line: Int
    /// The column's name (`units`, `at`), or nil for the line as a whole.
    public var column: String?
    /// What is wrong.
    public var message: String

    public init(line: Int, column: String? = nil, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line 12, column units: ...`, `line 12: ...` or the message alone.
    public var description: String {
        var head = line > 0 ? "line \(line)" : ""
        if let column { head += head.isEmpty ? "column \(column)" : ", column \(column)" }
        return head.isEmpty ? message : "\(head): \(message)"
    }
}
