// Checks that the daemon's answers say what the benchmark counts on.

import FairwayProtocol

/// Cheap checks of answer lines, so that a failing daemon cannot look fast.
/// Only the head of a line is scanned (the daemon writes `id`, `ok` and
/// `accepted` first); when the fields are not found there, the whole line is
/// parsed.
enum AnswerCheck {
    /// A `submit` answer: `"ok": true` with `accepted` equal to `expected`.
    static func submit(_ line: [UInt8], expected: Int) throws(BenchError) {
        let head = line.prefix(160)
        if let ok = find(Array("\"ok\":true".utf8), in: head), let at = find(Array("\"accepted\":".utf8), in: head), ok < at {
            var n = 0
            var i = head.startIndex + at + 11
            while i < head.endIndex, head[i] >= 48, head[i] <= 57 {
                n = n * 10 + Int(head[i] - 48)
                i += 1
            }
            guard n == expected else { throw failure("accepted \(n) of \(expected) orders", line) }
            return
        }
        let object = try parse(line)
        guard object["ok"] == .bool(true) else { throw failure("submit failed", line) }
        guard object["accepted"]?.intValue == expected else { throw failure("accepted ≠ \(expected)", line) }
    }

    /// Any answer with `"ok": true`.
    static func ok(_ line: [UInt8]) throws(BenchError) {
        if find(Array("\"ok\":true".utf8), in: line.prefix(64)) != nil { return }
        guard try parse(line)["ok"] == .bool(true) else { throw failure("request failed", line) }
    }

    private static func parse(_ line: [UInt8]) throws(BenchError) -> JSONObject {
        guard let parsed = try? JSONParser.parse(line), let object = parsed.objectValue else {
            throw failure("not a JSON object", line)
        }
        return object
    }

    private static func failure(_ what: String, _ line: [UInt8]) -> BenchError {
        BenchError("fairwayd: \(what): \(String(decoding: line.prefix(300), as: UTF8.self))")
    }

    /// Offset of `needle` in `hay` (relative to its start), if present.
    static func find(_ needle: [UInt8], in hay: ArraySlice<UInt8>) -> Int? {
        guard hay.count >= needle.count, let first = needle.first else { return nil }
        var i = hay.startIndex
        let last = hay.endIndex - needle.count
        while i <= last {
            if hay[i] == first && hay[i..<(i + needle.count)].elementsEqual(needle) { return i - hay.startIndex }
            i += 1
        }
        return nil
    }
}
