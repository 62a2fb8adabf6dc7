// A strict RFC 8259 JSON parser over UTF-8 bytes.

/// Why a JSON text was rejected, where, and a message for a person.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of failure.
    public enum Kind: String, Sendable, Equatable {
        /// The bytes are not valid UTF-8 (bad, overlong, truncated or surrogate
        /// sequences).
        case invalidUTF8
        /// The text is valid UTF-8 but not valid JSON.
        case invalidJSON
        /// Arrays and objects nest deeper than the parser's limit.
        case tooDeep
    }

    /// The class of failure.
    public var kind: Kind
    /// The 0-based byte offset at which the problem was found.
    public var offset: Int
    /// A message for a person, naming the offset, e.g.
    /// `invalid JSON at byte 17: expected ',' or '}'`.
    public var message: String

    /// Creates an error; the message should already name the offset.
    public init(kind: Kind, offset: Int, message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Parses JSON text (RFC 8259) into `JSON` values.
///
/// Strict: the input must be one JSON value with optional whitespace around
/// it, valid UTF-8 throughout, no control characters inside strings, no lone
/// surrogate escapes, no leading zeros, no NaN or Infinity. Duplicate keys are
/// kept in the object's field list. One pass over the bytes.
public enum JSONParser {
    /// Parses one JSON value from UTF-8 bytes.
    ///
    /// - Parameter maxDepth: how many arrays and objects may nest; one more
    ///   is a `.tooDeep` error.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 64) throws(JSONParseError) -> JSON {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw JSONParseError(kind: .invalidJSON, offset: 0, message: "invalid JSON at byte 0: empty input")
        }
        var parser = Parser(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count, maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    /// Parses one JSON value from UTF-8 bytes.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 64) throws(JSONParseError) -> JSON {
        let result: Result<JSON, JSONParseError> = bytes.withUnsafeBytes { raw in
            do throws(JSONParseError) {
                return .success(try parse(raw, maxDepth: maxDepth))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses one JSON value from a string (always valid UTF-8).
    public static func parse(_ text: String, maxDepth: Int = 64) throws(JSONParseError) -> JSON {
        var text = text
        let result: Result<JSON, JSONParseError> = text.withUTF8 { buffer in
            do throws(JSONParseError) {
                return .success(try parse(UnsafeRawBufferPointer(buffer), maxDepth: maxDepth))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

// MARK: - The parser proper

private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")

/// Single-pass recursive descent over a byte buffer that outlives it.
private struct Parser {
    let p: UnsafePointer<UInt8>
    let n: Int
    let maxDepth: Int
    var i = 0
    var depth = 0
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    init(base: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        p = base
        n = count
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSON {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if i < n { throw unexpected("end of input after the JSON value") }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while i < n {
            let b = p[i]
            // space, \t, \n, \r
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
                i += 1
            } else {
                return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSON {
        guard i < n else { throw endOfInput("a value") }
        switch p[i] {
        case quote:
            return .string(try parseString())
        case UInt8(ascii: "{"):
            return try parseObject()
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            throw unexpected("a value")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let len = word.utf8CodeUnitCount
        let w = word.utf8Start
        for k in 0..<len {
            guard i + k < n else {
                i += k
                throw endOfInput("'\(word)'")
            }
            if p[i + k] != w[k] {
                i += k
                throw unexpected("'\(word)'")
            }
        }
        i += len
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth {
            throw JSONParseError(
                kind: .tooDeep, offset: i,
                message: "invalid JSON at byte \(i): nesting deeper than \(maxDepth)")
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSON {
        try enter()
        i += 1  // {
        var fields: [(key: String, value: JSON)] = []
        skipWhitespace()
        if i < n && p[i] == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            return .object(JSONObject(fields))
        }
        while true {
            guard i < n else { throw endOfInput("a string key") }
            guard p[i] == quote else { throw unexpected("a string key") }
            let key = try parseString()
            skipWhitespace()
            guard i < n else { throw endOfInput("':'") }
            guard p[i] == UInt8(ascii: ":") else { throw unexpected("':'") }
            i += 1
            skipWhitespace()
            let value = try parseValue()
            fields.append((key, value))
            skipWhitespace()
            guard i < n else { throw endOfInput("',' or '}'") }
            let b = p[i]
            i += 1
            if b == UInt8(ascii: ",") {
                skipWhitespace()
                continue
            }
            if b == UInt8(ascii: "}") { break }
            i -= 1
            throw unexpected("',' or '}'")
        }
        depth -= 1
        return .object(JSONObject(fields))
    }

    mutating func parseArray() throws(JSONParseError) -> JSON {
        try enter()
        i += 1  // [
        var elements: [JSON] = []
        skipWhitespace()
        if i < n && p[i] == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard i < n else { throw endOfInput("',' or ']'") }
            let b = p[i]
            i += 1
            if b == UInt8(ascii: ",") {
                skipWhitespace()
                continue
            }
            if b == UInt8(ascii: "]") { break }
            i -= 1
            throw unexpected("',' or ']'")
        }
        depth -= 1
        return .array(elements)
    }

    /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`, returned as text.
    mutating func parseNumber() throws(JSONParseError) -> String {
        let start = i
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n else { throw endOfInput("a digit") }
        let first = p[i]
        if first == UInt8(ascii: "0") {
            i += 1
            if i < n && isDigit(p[i]) {
                throw invalid("leading zeros are not allowed in numbers")
            }
        } else if isDigit(first) {
            i += 1
            while i < n && isDigit(p[i]) { i += 1 }
        } else {
            throw unexpected("a digit")
        }
        if i < n && p[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n else { throw endOfInput("a digit after '.'") }
            guard isDigit(p[i]) else { throw unexpected("a digit after '.'") }
            while i < n && isDigit(p[i]) { i += 1 }
        }
        if i < n && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            if i < n && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < n else { throw endOfInput("a digit in the exponent") }
            guard isDigit(p[i]) else { throw unexpected("a digit in the exponent") }
            while i < n && isDigit(p[i]) { i += 1 }
        }
        return String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
    }

    @inline(__always)
    func isDigit(_ b: UInt8) -> Bool { b &- 0x30 <= 9 }

    /// Parses a string starting at its opening quote. Fast path: no escapes,
    /// one validating scan, one `String` built from the byte range.
    mutating func parseString() throws(JSONParseError) -> String {
        i += 1  // opening quote
        let start = i
        while true {
            guard i < n else { throw endOfInput("'\"' to close the string") }
            let b = p[i]
            if b == quote {
                let s = String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
                i += 1
                return s
            }
            if b == backslash {
                return try parseEscapedString(from: start)
            }
            if b < 0x20 {
                throw invalid("control character U+00\(hex2(b)) must be escaped in a string")
            }
            if b < 0x80 {
                i += 1
            } else {
                try validateUTF8Sequence()
            }
        }
    }

    /// Slow path: copies the validated prefix into the scratch buffer and
    /// decodes escapes from `i` (at a backslash) on.
    mutating func parseEscapedString(from start: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
        while true {
            guard i < n else { throw endOfInput("'\"' to close the string") }
            let b = p[i]
            if b == quote {
                i += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if b == backslash {
                try parseEscape()
            } else if b < 0x20 {
                throw invalid("control character U+00\(hex2(b)) must be escaped in a string")
            } else if b < 0x80 {
                scratch.append(b)
                i += 1
            } else {
                let s = i
                try validateUTF8Sequence()
                scratch.append(contentsOf: UnsafeBufferPointer(start: p + s, count: i - s))
            }
        }
    }

    /// Decodes one escape at `i` (a backslash) into the scratch buffer.
    mutating func parseEscape() throws(JSONParseError) {
        i += 1
        guard i < n else { throw endOfInput("an escape character") }
        let e = p[i]
        switch e {
        case quote, backslash, UInt8(ascii: "/"):
            scratch.append(e)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let escapeStart = i - 1
            i += 1
            var scalar = try hex4()
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                // High surrogate: a low surrogate escape must follow.
                guard i + 1 < n, p[i] == backslash, p[i + 1] == UInt8(ascii: "u") else {
                    throw invalidAt(escapeStart, "lone surrogate escape \\u\(hex4String(scalar))")
                }
                i += 2
                let low = try hex4()
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw invalidAt(escapeStart, "lone surrogate escape \\u\(hex4String(scalar))")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw invalidAt(escapeStart, "lone surrogate escape \\u\(hex4String(scalar))")
            }
            appendUTF8(scalar)
            return  // hex4 already advanced past the digits
        default:
            i -= 1
            throw invalid("invalid escape sequence in a string")
        }
        i += 1
    }

    /// Four hex digits at `i`; advances past them.
    mutating func hex4() throws(JSONParseError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard i < n else { throw endOfInput("4 hex digits after \\u") }
            let b = p[i]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - 0x41 + 10)
            default: throw unexpected("4 hex digits after \\u")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    mutating func appendUTF8(_ v: UInt32) {
        switch v {
        case 0..<0x80:
            scratch.append(UInt8(v))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | v >> 6))
            scratch.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | v >> 12))
            scratch.append(UInt8(0x80 | v >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | v & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | v >> 18))
            scratch.append(UInt8(0x80 | v >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | v >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | v & 0x3F))
        }
    }

    /// Validates the multi-byte UTF-8 sequence starting at `i` (lead byte
    /// ≥ 0x80) and advances past it. Rejects stray continuation bytes,
    /// overlong forms, UTF-16 surrogates, values above U+10FFFF and
    /// truncated sequences.
    @inline(__always)
    mutating func validateUTF8Sequence() throws(JSONParseError) {
        if let len = utf8SequenceLength(at: i) {
            i += len
        } else {
            throw JSONParseError(kind: .invalidUTF8, offset: i, message: "invalid UTF-8 at byte \(i)")
        }
    }

    /// The length of the valid multi-byte UTF-8 sequence at `k`, or `nil`.
    func utf8SequenceLength(at k: Int) -> Int? {
        let b0 = p[k]
        @inline(__always) func cont(_ j: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            j < n && p[j] >= lo && p[j] <= hi
        }
        switch b0 {
        case 0xC2...0xDF:
            return cont(k + 1) ? 2 : nil
        case 0xE0:
            return cont(k + 1, 0xA0) && cont(k + 2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF:
            return cont(k + 1) && cont(k + 2) ? 3 : nil
        case 0xED:
            return cont(k + 1, 0x80, 0x9F) && cont(k + 2) ? 3 : nil
        case 0xF0:
            return cont(k + 1, 0x90) && cont(k + 2) && cont(k + 3) ? 4 : nil
        case 0xF1...0xF3:
            return cont(k + 1) && cont(k + 2) && cont(k + 3) ? 4 : nil
        case 0xF4:
            return cont(k + 1, 0x80, 0x8F) && cont(k + 2) && cont(k + 3) ? 4 : nil
        default:
            return nil
        }
    }

    // MARK: Errors

    func invalidAt(_ offset: Int, _ what: String) -> JSONParseError {
        JSONParseError(kind: .invalidJSON, offset: offset, message: "invalid JSON at byte \(offset): \(what)")
    }

    func invalid(_ what: String) -> JSONParseError { invalidAt(i, what) }

    func endOfInput(_ expected: String) -> JSONParseError {
        invalidAt(i, "unexpected end of input, expected \(expected)")
    }

    /// An unexpected byte at `i`; invalid UTF-8 there is reported as such.
    func unexpected(_ expected: String) -> JSONParseError {
        let b = p[i]
        if b >= 0x80 {
            if utf8SequenceLength(at: i) == nil {
                return JSONParseError(kind: .invalidUTF8, offset: i, message: "invalid UTF-8 at byte \(i)")
            }
            return invalid("expected \(expected), found a non-ASCII character")
        }
        if b < 0x20 || b == 0x7F {
            return invalid("expected \(expected), found control character U+00\(hex2(b))")
        }
        return invalid("expected \(expected), found '\(Character(Unicode.Scalar(b)))'")
    }

    func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(b >> 4)], digits[Int(b & 0xF)]], as: UTF8.self)
    }

    func hex4String(_ v: UInt32) -> String {
        hex2(UInt8(v >> 8)) + hex2(UInt8(v & 0xFF))
    }
}
