/// A syslog priority, the journal's `PRIORITY=` field: 0 is the most severe.
public enum JournalPriority: Int, Sendable, Hashable, CaseIterable, Comparable {
    /// System is unusable.
    case emerg = 0
    /// Action must be taken immediately.
    case alert = 1
    /// Critical conditions.
    case crit = 2
    /// Error conditions.
    case err = 3
    /// Warning conditions.
    case warning = 4
    /// Normal but significant condition.
    case notice = 5
    /// Informational.
    case info = 6
    /// Debug-level messages.
    case debug = 7

    /// The field value: the number as one decimal digit (`"6"` for ``info``).
    public var fieldValue: String { String(rawValue) }

    /// Orders by number, so `.err < .info` (more severe first).
    public static func < (lhs: JournalPriority, rhs: JournalPriority) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
