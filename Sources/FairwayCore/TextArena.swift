/// Where a string lives in a `TextArena`: a byte offset and a UTF-8 length
/// packed in 64 bits (40-bit offset, 24-bit length), or `none`.
struct TextRef: Sendable, Equatable {
    var bits: UInt64

    /// No string (an omitted optional field).
    static let none = TextRef(bits: .max)
    /// Largest UTF-8 length one reference can describe (16 MiB - 2).
    static let maxLength = (1 << 24) - 2

    init(bits: UInt64) { self.bits = bits }

    init(offset: Int, length: Int) {
        precondition(offset < 1 << 40 && length <= Self.maxLength, "text arena reference out of range")
        bits = UInt64(offset) << 24 | UInt64(length)
    }

    var isNone: Bool { bits == .max }
    var offset: Int { Int(bits >> 24) }
    var length: Int { Int(bits & 0xFF_FFFF) }
}

/// An append-only store of UTF-8 strings in one contiguous byte array.
///
/// Holding an order's id and notes here costs their bytes plus an 8-byte
/// `TextRef`, instead of a 16-byte `String` plus, beyond 15 bytes, a heap
/// object with its header and malloc rounding.
struct TextArena: Sendable {
    private(set) var bytes: [UInt8] = []

    /// Makes room for `count` more bytes without regrowing.
    mutating func reserveCapacity(_ count: Int) { bytes.reserveCapacity(bytes.count + count) }

    /// Stores `text` and says where; nil stores nothing and gives `.none`.
    mutating func append(_ text: String?) -> TextRef {
        guard var text else { return .none }
        let offset = bytes.count
        text.withUTF8 { bytes.append(contentsOf: $0) }
        return TextRef(offset: offset, length: bytes.count - offset)
    }

    /// Stores raw UTF-8 bytes and says where.
    mutating func append(utf8: UnsafeBufferPointer<UInt8>) -> TextRef {
        let offset = bytes.count
        bytes.append(contentsOf: utf8)
        return TextRef(offset: offset, length: utf8.count)
    }

    /// The string at `ref`, or nil for `.none`.
    func string(_ ref: TextRef) -> String? {
        guard !ref.isNone else { return nil }
        return bytes.withUnsafeBufferPointer { all in
            String(decoding: UnsafeBufferPointer(rebasing: all[ref.offset..<ref.offset + ref.length]), as: UTF8.self)
        }
    }

    /// Whether the string at `ref` is `text` (byte for byte; `.none` matches nil).
    func equals(_ ref: TextRef, _ text: String?) -> Bool {
        guard var text else { return ref.isNone }
        guard !ref.isNone else { return false }
        return text.withUTF8 { utf8 in
            utf8.count == ref.length && bytes.withUnsafeBufferPointer { all in
                all[ref.offset..<ref.offset + ref.length].elementsEqual(utf8)
            }
        }
    }

    /// The hash of a string's UTF-8 bytes (seeded per process, like `Hasher`).
    static func hash(of text: String) -> Int {
        var text = text
        return text.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    static func hash(_ utf8: UnsafeRawBufferPointer) -> Int {
        var h = Hasher()
        h.combine(bytes: utf8)
        return h.finalize()
    }
}
