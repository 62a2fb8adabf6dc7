// Newline-delimited framing of a byte stream.

/// Splits a byte stream into lines ending in `\n`, with a length limit.
///
/// Feed bytes as they arrive with `append(_:)`, then call `next()` until it
/// returns `nil`. Each byte is scanned once: the framer remembers how far it
/// has looked for a newline, and drops consumed bytes from its buffer only
/// when that is cheap (amortized O(1) per byte).
///
/// Limit: a line may hold at most `maxLineLength` bytes before its `\n` (a
/// `\r` before the `\n` counts). As soon as more than that many bytes without
/// a newline are buffered, `next()` returns `.tooLong` once; the framer then
/// drops its buffer, ignores further input, and returns `nil` for good.
public struct LineFramer: Sendable {
    /// One result of framing.
    public enum Frame: Sendable, Equatable {
        /// A complete line without its `\n` (and without a `\r` right before
        /// it). Empty lines are returned as empty arrays.
        case line([UInt8])
        /// A line exceeded the maximum length; the connection should close.
        case tooLong
    }

    /// The most bytes a line may have before its `\n`.
    public let maxLineLength: Int

    private var buffer: [UInt8] = []
    /// Start of the first line not yet returned.
    private var start = 0
    /// Bytes in `start..<scanned` are known to contain no `\n`.
    private var scanned = 0
    /// Set once `.tooLong` has been returned.
    private var failed = false

    /// A framer whose lines may hold up to `maxLineLength` bytes before `\n`.
    public init(maxLineLength: Int = 1_048_576) {
        precondition(maxLineLength >= 0, "maxLineLength must not be negative")
        self.maxLineLength = maxLineLength
    }

    /// The number of bytes received but not yet returned in a line.
    public var bufferedByteCount: Int { buffer.count - start }

    /// Whether the framer has reported `.tooLong` and stopped.
    public var hasFailed: Bool { failed }

    /// Adds bytes received from the stream.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !failed, !bytes.isEmpty else { return }
        compact()
        buffer.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// Adds bytes received from the stream.
    public mutating func append(_ bytes: [UInt8]) {
        guard !failed, !bytes.isEmpty else { return }
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Drops consumed bytes when they are at least half the buffer (so the
    /// copy is paid for by the bytes already consumed).
    private mutating func compact() {
        if start == 0 { return }
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
            scanned = 0
        } else if start >= 4096 && start * 2 >= buffer.count {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
    }

    /// The next complete line, `.tooLong` once if the limit was exceeded, or
    /// `nil` when more bytes are needed (or after `.tooLong`).
    public mutating func next() -> Frame? {
        guard !failed else { return nil }
        let count = buffer.count
        let newline: Int? = buffer.withUnsafeBufferPointer { b in
            LineFramer.findNewline(b, from: scanned, to: count)
        }
        guard let nl = newline else {
            scanned = count
            if count - start > maxLineLength { return fail() }
            return nil
        }
        if nl - start > maxLineLength { return fail() }
        var end = nl
        if end > start && buffer[end - 1] == 0x0D { end -= 1 }
        let line = Array(buffer[start..<end])
        start = nl + 1
        scanned = start
        return .line(line)
    }

    private mutating func fail() -> Frame {
        failed = true
        buffer = []
        start = 0
        scanned = 0
        return .tooLong
    }

    /// The index of the first `\n` in `from..<to`, eight bytes at a time.
    private static func findNewline(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard let base = b.baseAddress else { return nil }
        var k = from
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let pattern: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        while k + 8 <= to {
            let word = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self) ^ pattern
            // Non-zero when some byte of `word` is zero, i.e. was '\n'.
            if (word &- ones) & ~word & highs != 0 { break }
            k += 8
        }
        while k < to {
            if base[k] == 0x0A { return k }
            k += 1
        }
        return nil
    }
}
