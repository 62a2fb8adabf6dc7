// One answer line from the daemon, parsed into success fields or an error.

import FairwayProtocol

/// The `error` of a failed answer.
struct DaemonError: Sendable, Equatable {
    /// The stable code (`not_found`, `invalid_argument`, ...).
    var code: String
    /// The text for a person.
    var message: String

    /// `code: message`.
    var text: String { "\(code): \(message)" }
}

/// An answer line: its raw text, its fields, and whether it is a success.
struct Reply: Sendable {
    /// The line as received (without its newline), printed as is by `--json`.
    var line: [UInt8]
    /// The answer's fields (empty when the line is not a JSON object).
    var fields: JSONObject
    /// The error, when the answer is not `"ok": true`.
    var error: DaemonError?

    /// Parses an answer line. A line that is not a JSON object with a boolean
    /// `ok` becomes an error with code `bad_response`.
    init(line: [UInt8]) {
        self.line = line
        guard let parsed = try? JSONParser.parse(line), let object = parsed.objectValue,
            let ok = object["ok"]?.boolValue
        else {
            fields = JSONObject()
            let preview = String(decoding: line.prefix(200), as: UTF8.self)
            error = DaemonError(code: "bad_response", message: "the daemon's answer is not a JSON object with \"ok\": \(preview)")
            return
        }
        fields = object
        if ok {
            error = nil
        } else {
            let details = object["error"]?.objectValue
            error = DaemonError(
                code: details?["code"]?.stringValue ?? "unknown",
                message: details?["message"]?.stringValue ?? "(no message)")
        }
    }

    /// The line as text.
    var text: String { String(decoding: line, as: UTF8.self) }
}

extension JSONObject {
    /// The string field `key`, if present and a string.
    func string(_ key: String) -> String? { self[key]?.stringValue }

    /// The integer field `key`, if present and an integer.
    func int(_ key: String) -> Int? { self[key]?.intValue }

    /// The boolean field `key`, if present and a boolean.
    func bool(_ key: String) -> Bool? { self[key]?.boolValue }

    /// The object field `key`, if present and an object.
    func object(_ key: String) -> JSONObject? { self[key]?.objectValue }

    /// The array field `key` as objects (non-objects skipped); empty when absent.
    func objects(_ key: String) -> [JSONObject] { (self[key]?.arrayValue ?? []).compactMap(\.objectValue) }

    /// A field as short display text: strings as they are, numbers as written,
    /// `-` for null or absent.
    func display(_ key: String) -> String {
        switch self[key] {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "yes" : "no"
        case .none, .null: return "-"
        case .some(let other): return other.jsonText
        }
    }
}
