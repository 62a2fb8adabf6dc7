/// A small XML reader for tests: checks well-formedness (one root, matched
/// and properly nested tags, quoted unique attributes, only the five named
/// entities and character references, no stray `<` or `&`) and gives the
/// element tree. Enough for the SVG files the client writes; no DTDs.
struct XMLElement: Equatable {
    var name: String
    var attributes: [String: String]
    var children: [XMLElement]
    /// The text directly inside, entities decoded.
    var text: String

    /// Every element below this one (depth first), this one included.
    var all: [XMLElement] { [self] + children.flatMap(\.all) }

    /// Every text inside, concatenated.
    var allText: String { text + children.map(\.allText).joined() }
}

struct XMLError: Error, CustomStringConvertible {
    var offset: Int
    var message: String
    var description: String { "XML error at byte \(offset): \(message)" }
}

enum MiniXML {
    static func parse(_ text: String) throws -> XMLElement {
        var p = Parser(bytes: Array(text.utf8))
        p.skipProlog()
        let root = try p.element()
        p.skipMisc()
        guard p.i == p.bytes.count else { throw XMLError(offset: p.i, message: "content after the root element") }
        return root
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        func peek(_ s: String) -> Bool { bytes[i...].starts(with: s.utf8) }

        mutating func skipSpace() { while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 } }

        mutating func skip(past end: String) {
            while i < bytes.count && !peek(end) { i += 1 }
            i = min(bytes.count, i + end.utf8.count)
        }

        mutating func skipMisc() {
            while true {
                skipSpace()
                if i < bytes.count && peek("<!--") { skip(past: "-->") } else { return }
            }
        }

        mutating func skipProlog() {
            skipSpace()
            if peek("<?xml") { skip(past: "?>") }
            skipMisc()
        }

        mutating func name() throws -> String {
            let start = i
            while i < bytes.count, bytes[i] == 0x2D || bytes[i] == 0x5F || bytes[i] == 0x3A || bytes[i] == 0x2E
                || (bytes[i] >= 0x30 && bytes[i] <= 0x39) || (bytes[i] | 0x20 >= 0x61 && bytes[i] | 0x20 <= 0x7A) { i += 1 }
            guard i > start else { throw XMLError(offset: i, message: "a name expected") }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        mutating func decoded(until stop: UInt8) throws -> String {
            var out: [UInt8] = []
            while i < bytes.count && bytes[i] != stop {
                if bytes[i] == 0x3C { throw XMLError(offset: i, message: "'<' inside text or a value") }
                if bytes[i] == 0x26 {
                    guard let semi = bytes[i...].firstIndex(of: 0x3B) else { throw XMLError(offset: i, message: "an unterminated entity") }
                    let entity = String(decoding: bytes[(i + 1)..<semi], as: UTF8.self)
                    switch entity {
                    case "amp": out.append(0x26)
                    case "lt": out.append(0x3C)
                    case "gt": out.append(0x3E)
                    case "quot": out.append(0x22)
                    case "apos": out.append(0x27)
                    default:
                        let digits = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                        guard let code = digits, let scalar = Unicode.Scalar(code) else { throw XMLError(offset: i, message: "unknown entity &\(entity);") }
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    }
                    i = semi + 1
                } else {
                    out.append(bytes[i])
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func element() throws -> XMLElement {
            guard i < bytes.count, bytes[i] == 0x3C else { throw XMLError(offset: i, message: "'<' expected") }
            i += 1
            var e = XMLElement(name: try name(), attributes: [:], children: [], text: "")
            while true {
                skipSpace()
                guard i < bytes.count else { throw XMLError(offset: i, message: "the file ends inside <\(e.name)>") }
                if peek("/>") {
                    i += 2
                    return e
                }
                if bytes[i] == 0x3E {
                    i += 1
                    break
                }
                let key = try name()
                skipSpace()
                guard i < bytes.count, bytes[i] == 0x3D else { throw XMLError(offset: i, message: "'=' expected after \(key)") }
                i += 1
                skipSpace()
                guard i < bytes.count, bytes[i] == 0x22 || bytes[i] == 0x27 else { throw XMLError(offset: i, message: "a quoted value expected for \(key)") }
                let quote = bytes[i]
                i += 1
                let value = try decoded(until: quote)
                guard i < bytes.count else { throw XMLError(offset: i, message: "an unterminated value") }
                i += 1
                guard e.attributes[key] == nil else { throw XMLError(offset: i, message: "attribute \(key) twice") }
                e.attributes[key] = value
            }
            while true {
                e.text += try decoded(until: 0x3C)
                guard i < bytes.count else { throw XMLError(offset: i, message: "<\(e.name)> is never closed") }
                if peek("<!--") {
                    skip(past: "-->")
                } else if peek("</") {
                    i += 2
                    let end = try name()
                    guard end == e.name else { throw XMLError(offset: i, message: "</\(end)> closes <\(e.name)>") }
                    skipSpace()
                    guard i < bytes.count, bytes[i] == 0x3E else { throw XMLError(offset: i, message: "'>' expected") }
                    i += 1
                    return e
                } else {
                    e.children.append(try element())
                }
            }
        }
    }
}
