// Appends JSON text to a byte buffer, from values or as a stream of tokens.

/// Builds UTF-8 JSON text in `bytes`.
///
/// Either write whole values with `write(_:)`, or stream a response without
/// building `JSON` values:
///
/// ```swift
/// var w = JSONWriter()
/// w.beginObject()
/// w.key("id"); w.raw(id)
/// w.key("ok"); w.bool(true)
/// w.key("results"); w.beginArray(); w.int(1); w.int(2); w.endArray()
/// w.endObject()
/// ```
///
/// Commas and colons are written automatically. The writer does not check
/// that calls are balanced or that every object value has a key; that is the
/// caller's job. Strings are escaped per RFC 8259 (`"`, `\`, and control
/// characters); everything else, non-ASCII included, is written as raw UTF-8.
/// Doubles use the shortest text that reads back to the same value; NaN and
/// infinities are written as `null`.
public struct JSONWriter: Sendable {
    /// The JSON text written so far.
    public var bytes: [UInt8]
    /// Whether the next value or key must be preceded by a comma.
    private var needsComma = false

    /// An empty writer with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer (keeping its capacity) so the writer can be reused.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    /// Appends a `\n` (ending one line of newline-delimited JSON) and starts
    /// a fresh top-level value.
    public mutating func newline() {
        bytes.append(0x0A)
        needsComma = false
    }

    // MARK: Streaming

    @inline(__always)
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Starts an object (`{`).
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Ends an object (`}`).
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Starts an array (`[`).
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Ends an array (`]`).
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object key and its colon; the next call writes its value.
    public mutating func key(_ k: String) {
        separate()
        appendQuoted(k)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string value.
    public mutating func string(_ s: String) {
        separate()
        appendQuoted(s)
        needsComma = true
    }

    /// Writes an integer value.
    public mutating func int(_ v: Int) {
        int(Int64(v))
    }

    /// Writes an integer value.
    public mutating func int(_ v: Int64) {
        separate()
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(v.magnitude)
        needsComma = true
    }

    /// Writes a number value; NaN and infinities are written as `null`.
    public mutating func double(_ v: Double) {
        separate()
        if let text = JSON.numberText(v) {
            bytes.append(contentsOf: text.utf8)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
        needsComma = true
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ v: Bool) {
        separate()
        bytes.append(contentsOf: v ? "true".utf8 : "false".utf8)
        needsComma = true
    }

    /// Writes `null`.
    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// Writes a whole `JSON` value in a streaming context (for example an
    /// echoed `id`); same as `write(_:)`.
    public mutating func raw(_ json: JSON) {
        write(json)
    }

    /// Writes a whole `JSON` value. Numbers are written as their literal text.
    public mutating func write(_ json: JSON) {
        switch json {
        case .null:
            null()
        case .bool(let b):
            bool(b)
        case .number(let text):
            separate()
            bytes.append(contentsOf: text.utf8)
            needsComma = true
        case .string(let s):
            string(s)
        case .array(let elements):
            beginArray()
            for e in elements { write(e) }
            endArray()
        case .object(let object):
            beginObject()
            for field in object.fields {
                key(field.key)
                write(field.value)
            }
            endObject()
        }
    }

    // MARK: Encoding

    private mutating func appendDigits(_ v: UInt64) {
        if v < 10 {
            bytes.append(UInt8(truncatingIfNeeded: v) &+ 0x30)
            return
        }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes ≥ 20 digits
        withUnsafeMutableBytes(of: &tmp) { buf in
            var k = buf.count
            var x = v
            while x > 0 {
                k -= 1
                buf[k] = UInt8(truncatingIfNeeded: x % 10) &+ 0x30
                x /= 10
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[k...]))
        }
    }

    private mutating func appendQuoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        if done == nil {
            // Bridged or otherwise non-contiguous string: copy it first.
            Array(s.utf8).withUnsafeBufferPointer { appendEscaped($0) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends UTF-8 string contents, escaping what RFC 8259 requires and
    /// copying runs of plain bytes in one go.
    private mutating func appendEscaped(_ u: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var k = 0
        let n = u.count
        while k < n {
            let b = u[k]
            if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                k += 1
                continue
            }
            if k > runStart {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<k]))
            }
            appendEscape(b)
            k += 1
            runStart = k
        }
        if n > runStart {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<n]))
        }
    }

    private mutating func appendEscape(_ b: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch b {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(hex.utf8Start[Int(b >> 4)])
            bytes.append(hex.utf8Start[Int(b & 0xF)])
        }
    }
}

extension JSON {
    /// This value as compact UTF-8 JSON text (no trailing newline).
    public func serialized() -> [UInt8] {
        var w = JSONWriter()
        w.write(self)
        return w.bytes
    }

    /// This value as compact JSON text (no trailing newline).
    public var jsonText: String {
        String(decoding: serialized(), as: UTF8.self)
    }
}

extension JSON: CustomStringConvertible {
    /// The compact JSON text (same as `jsonText`).
    public var description: String { jsonText }
}
