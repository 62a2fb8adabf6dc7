/// One structured journal entry: an ordered list of `NAME=value` fields.
///
/// Field names are `[A-Z0-9_]`, do not start with a digit or `_` (those are
/// reserved for fields journald adds itself) and are at most 64 bytes; see
/// ``isValidFieldName(_:)``. Values are any UTF-8 text, including line breaks.
/// A name may appear more than once; the journal keeps every value.
public struct JournalEntry: Sendable {
    /// The fields in the order they are sent.
    public var fields: [(name: String, value: String)]

    /// An entry with the given fields, in order.
    public init(fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// An entry with `MESSAGE`, `PRIORITY` and, when given,
    /// `SYSLOG_IDENTIFIER`, followed by `fields`.
    public init(
        message: String,
        priority: JournalPriority,
        identifier: String? = nil,
        fields: [(name: String, value: String)] = []
    ) {
        var all: [(name: String, value: String)] = []
        all.reserveCapacity(3 + fields.count)
        all.append((name: "MESSAGE", value: message))
        all.append((name: "PRIORITY", value: priority.fieldValue))
        if let identifier {
            all.append((name: "SYSLOG_IDENTIFIER", value: identifier))
        }
        all.append(contentsOf: fields)
        self.fields = all
    }

    /// Appends a field.
    public mutating func append(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// The first value of the field `name`, or `nil`.
    public subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// The entry's `MESSAGE`, or `nil`.
    public var message: String? { self["MESSAGE"] }

    /// The entry's `PRIORITY`, or `nil` when absent or not 0...7.
    public var priority: JournalPriority? {
        self["PRIORITY"].flatMap(Int.init).flatMap(JournalPriority.init(rawValue:))
    }

    /// Sends the entry with ``Journal/send(_:)``: 0, or a negative errno.
    @discardableResult
    public func send() -> Int32 {
        Journal.send(fields)
    }

    /// `true` when `name` is a field name a client may send: 1...64 bytes of
    /// `A-Z`, `0-9` and `_`, not starting with a digit or `_`.
    public static func isValidFieldName(_ name: String) -> Bool {
        var count = 0
        for byte in name.utf8 {
            count += 1
            if count > 64 { return false }
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                if count == 1 { return false }
            default:
                return false
            }
        }
        return count > 0
    }
}
