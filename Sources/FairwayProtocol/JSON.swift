// The JSON value model used on the wire.

/// A JSON value.
///
/// Numbers keep the exact literal text they were parsed from (already
/// validated against the JSON number grammar), so a request's `id` can be
/// echoed byte for byte. Two numbers are equal when their texts are equal:
/// `1` and `1.0` are different values. Objects keep their fields in order,
/// duplicates included.
public enum JSON: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as its literal text (for example `-12`, `3.5`, `1e400`).
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSON])
    /// An object with its fields in order.
    case object(JSONObject)
}

/// The fields of a JSON object, in the order they appeared or were added.
///
/// Duplicate keys are kept; lookups by key return the first match. Objects on
/// the wire are small, so lookups scan linearly.
public struct JSONObject: Sendable, Hashable {
    /// The fields in order.
    public var fields: [(key: String, value: JSON)]

    /// An empty object.
    public init() { fields = [] }

    /// An object with the given fields, in order (duplicates kept).
    public init(_ fields: [(key: String, value: JSON)]) { self.fields = fields }

    /// The value of the first field named `key`, or `nil` when there is none.
    ///
    /// Setting replaces the first field with that key, or appends a new field;
    /// setting `nil` removes every field with that key.
    public subscript(key: String) -> JSON? {
        get {
            for field in fields where field.key == key { return field.value }
            return nil
        }
        set {
            if let newValue {
                if let i = fields.firstIndex(where: { $0.key == key }) {
                    fields[i].value = newValue
                } else {
                    fields.append((key, newValue))
                }
            } else {
                fields.removeAll { $0.key == key }
            }
        }
    }

    /// Appends a field, even if the key is already present.
    public mutating func append(_ key: String, _ value: JSON) {
        fields.append((key, value))
    }

    /// The keys in order (duplicates included).
    public var keys: [String] { fields.map(\.key) }

    /// The number of fields (duplicates included).
    public var count: Int { fields.count }

    /// Whether the object has no fields.
    public var isEmpty: Bool { fields.isEmpty }

    /// Equal when both have the same fields with equal values in the same order.
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.fields.count == b.fields.count else { return false }
        for i in a.fields.indices {
            if a.fields[i].key != b.fields[i].key || a.fields[i].value != b.fields[i].value {
                return false
            }
        }
        return true
    }

    /// Hashes the fields in order.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(fields.count)
        for field in fields {
            hasher.combine(field.key)
            hasher.combine(field.value)
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object from a literal such as `["ok": true, "n": 3]`, in written order.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        fields = elements.map { (key: $0.0, value: $0.1) }
    }
}

// MARK: - Convenience initializers and literals

extension JSON {
    /// A number from an integer.
    public init(_ int: Int) { self = .number(String(int)) }

    /// A number from an integer.
    public init(_ int: Int64) { self = .number(String(int)) }

    /// A number from a double, as the shortest text that reads back to the
    /// same value (integral values without `.0`). NaN and infinities, which
    /// JSON cannot represent, become `null`.
    public init(_ double: Double) {
        if let text = JSON.numberText(double) {
            self = .number(text)
        } else {
            self = .null
        }
    }

    /// A string.
    public init(_ string: String) { self = .string(string) }

    /// A boolean.
    public init(_ bool: Bool) { self = .bool(bool) }

    /// The shortest round-trip JSON text of a finite double; `nil` for NaN or
    /// an infinity.
    static func numberText(_ double: Double) -> String? {
        guard double.isFinite else { return nil }
        var text = double.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}

extension JSON: ExpressibleByNilLiteral {
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
}

extension JSON: ExpressibleByBooleanLiteral {
    /// `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSON: ExpressibleByIntegerLiteral {
    /// A number from an integer literal.
    public init(integerLiteral value: Int) { self = .number(String(value)) }
}

extension JSON: ExpressibleByFloatLiteral {
    /// A number from a floating-point literal (see `init(_: Double)`).
    public init(floatLiteral value: Double) { self.init(value) }
}

extension JSON: ExpressibleByStringLiteral {
    /// A string from a string literal.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSON: ExpressibleByArrayLiteral {
    /// An array from an array literal.
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
}

extension JSON: ExpressibleByDictionaryLiteral {
    /// An object from a dictionary literal, fields in written order.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
}

// MARK: - Accessors

extension JSON {
    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The boolean, if this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The fields, if this is an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The integer, if this is a number written as an integer literal (no
    /// fraction, no exponent) that fits in `Int`. `3.0` and `3e0` give `nil`.
    public var intValue: Int? {
        guard case .number(var text) = self else { return nil }
        return text.withUTF8 { JSON.parseInt($0) }
    }

    /// The number as a `Double` (the nearest one; huge literals give an
    /// infinity), if this is a number.
    public var doubleValue: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The JSON type's name, for error messages: `null`, `boolean`, `number`,
    /// `string`, `array` or `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// An optional `-` then decimal digits only, within `Int`'s range.
    static func parseInt(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let negative = !p.isEmpty && p[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        guard i < p.count else { return nil }
        var value = 0
        while i < p.count {
            let d = p[i] &- 0x30
            guard d <= 9 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            // Accumulate negatively so Int.min is representable.
            let (a, o2) = negative ? m.subtractingReportingOverflow(Int(d)) : m.addingReportingOverflow(Int(d))
            if o1 || o2 { return nil }
            value = a
            i += 1
        }
        return value
    }
}
