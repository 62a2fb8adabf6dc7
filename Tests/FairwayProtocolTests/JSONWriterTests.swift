import FairwayProtocol
import FairwayCore
import Testing

/// A small deterministic generator (SeededRandom64) so failures reproduce.
private func text(_ w: JSONWriter) -> String { String(decoding: w.bytes, as: UTF8.self) }

@Suite struct JSONWriterTests {
    @Test func streamingResponse() {
        var w = JSONWriter()
        w.beginObject()
        w.key("id")
        w.raw(.number("7.50"))
        w.key("ok")
        w.bool(true)
        w.key("results")
        w.beginArray()
        w.beginObject()
        w.key("order_id")
        w.string("SO-1")
        w.key("duplicate")
        w.bool(false)
        w.endObject()
        w.beginObject()
        w.endObject()
        w.int(-3)
        w.int(Int64.max)
        w.null()
        w.double(0.1)
        w.endArray()
        w.key("empty")
        w.beginArray()
        w.endArray()
        w.key("nested")
        w.write(["a": [1, nil]])
        w.endObject()
        #expect(
            text(w)
                == #"{"id":7.50,"ok":true,"results":[{"order_id":"SO-1","duplicate":false},{},-3,9223372036854775807,null,0.1],"empty":[],"nested":{"a":[1,null]}}"#
        )
    }

    @Test func newlineAndReset() {
        var w = JSONWriter()
        w.write(["a": 1])
        w.newline()
        w.write(["b": 2])
        w.newline()
        #expect(text(w) == "{\"a\":1}\n{\"b\":2}\n")
        w.reset()
        #expect(w.bytes.isEmpty)
        w.int(5)
        #expect(text(w) == "5")
    }

    @Test func integers() {
        let cases: [(Int64, String)] = [
            (0, "0"), (7, "7"), (10, "10"), (-1, "-1"), (1234567890, "1234567890"),
            (Int64.max, "9223372036854775807"), (Int64.min, "-9223372036854775808"),
        ]
        for (v, expected) in cases {
            var w = JSONWriter()
            w.int(v)
            #expect(text(w) == expected)
        }
        var w = JSONWriter()
        w.beginArray()
        w.int(Int.min)
        w.int(42)
        w.endArray()
        #expect(text(w) == "[-9223372036854775808,42]")
    }

    @Test func doubles() {
        let cases: [(Double, String)] = [
            (0.1, "0.1"), (1.5, "1.5"), (3.0, "3"), (-2.0, "-2"), (1e300, "1e+300"), (.leastNonzeroMagnitude, "5e-324"),
            (.nan, "null"), (.infinity, "null"), (-.infinity, "null"), (123456.789, "123456.789"),
        ]
        for (v, expected) in cases {
            var w = JSONWriter()
            w.double(v)
            #expect(text(w) == expected)
            if v.isFinite {
                #expect(Double(expected) == v)
                #expect(JSON(v) == .number(expected))
            } else {
                #expect(JSON(v) == .null)
            }
        }
    }

    @Test func escaping() {
        let s = "quote\" backslash\\ slash/ nl\n cr\r tab\t bs\u{08} ff\u{0C} nul\u{0} us\u{1F} del\u{7F} é € 😀"
        let out = JSON.string(s).jsonText
        #expect(
            out
                == #""quote\" backslash\\ slash/ nl\n cr\r tab\t bs\b ff\f nul\u0000 us\u001f del"#
                + "\u{7F} é € 😀\"")
        #expect(JSON.string("").jsonText == #""""#)
        #expect(JSON.string("plain").jsonText == #""plain""#)
        #expect(JSON.string("\n").jsonText == #""\n""#)
        // Keys are escaped too.
        #expect(JSON.object(["a\"b": 1]).jsonText == #"{"a\"b":1}"#)
        // Non-ASCII goes out as raw UTF-8.
        #expect(JSON.string("é").serialized() == [0x22, 0xC3, 0xA9, 0x22])
    }

    @Test func everyControlCharacterRoundTrips() throws {
        var s = ""
        for v in 0..<0x20 { s.unicodeScalars.append(Unicode.Scalar(UInt8(v))) }
        let bytes = JSON.string(s).serialized()
        #expect(!bytes.contains { $0 < 0x20 })
        #expect(try JSONParser.parse(bytes) == .string(s))
    }

    @Test func literalsAndConvenience() {
        let v: JSON = ["s": "x", "i": 1, "d": 2.5, "b": true, "n": nil, "a": [1, "two"]]
        #expect(v.jsonText == #"{"s":"x","i":1,"d":2.5,"b":true,"n":null,"a":[1,"two"]}"#)
        #expect(JSON(42) == .number("42"))
        #expect(JSON(Int64(-42)) == .number("-42"))
        #expect(JSON("s") == .string("s"))
        #expect(JSON(true) == .bool(true))
        var o: JSONObject = ["a": 1]
        o["b"] = "x"
        o["a"] = 2
        #expect(o.keys == ["a", "b"])
        #expect(o["a"] == 2)
        o.append("a", 3)
        #expect(o.count == 3)
        o["a"] = nil
        #expect(o.keys == ["b"])
        #expect(JSONObject([(key: "k", value: .null)]).count == 1)
        #expect(JSONObject([("k", .null), ("k", 1)]).keys == ["k", "k"])
        #expect(JSON.object(["a": [1]]).description == #"{"a":[1]}"#)
    }

    @Test func objectEqualityAndHashingAreOrdered() {
        let a: JSONObject = ["x": 1, "y": 2]
        let b: JSONObject = ["x": 1, "y": 2]
        let c: JSONObject = ["y": 2, "x": 1]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != c)
        #expect(Set<JSON>([.object(a), .object(b), .object(c)]).count == 2)
        #expect(JSON.number("1") != JSON.number("1.0"))
    }

    @Test func randomValuesRoundTrip() throws {
        var rng = SeededRandom(seed: 0x5EED)
        for _ in 0..<500 {
            let value = randomJSON(&rng, depth: 0)
            let bytes = value.serialized()
            let parsed = try JSONParser.parse(bytes)
            #expect(parsed == value)
            #expect(parsed.serialized() == bytes)
            #expect(try JSONParser.parse(value.jsonText) == value)
        }
    }
}

private func randomJSON(_ rng: inout SeededRandom, depth: Int) -> JSON {
    let choice = Int.random(in: 0..<(depth >= 4 ? 5 : 7), using: &rng)
    switch choice {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &rng))
    case 2: return JSON(Int.random(in: Int.min...Int.max, using: &rng) >> Int.random(in: 0..<64, using: &rng))
    case 3:
        let d = Double(bitPattern: rng.next())
        return d.isFinite ? JSON(d) : .number("-0.5e-7")
    case 4: return .string(randomString(&rng))
    case 5:
        return .array((0..<Int.random(in: 0..<5, using: &rng)).map { _ in randomJSON(&rng, depth: depth + 1) })
    default:
        var o = JSONObject()
        for _ in 0..<Int.random(in: 0..<5, using: &rng) {
            o.append(randomString(&rng), randomJSON(&rng, depth: depth + 1))
        }
        return .object(o)
    }
}

private func randomString(_ rng: inout SeededRandom) -> String {
    let pool: [Unicode.Scalar] = [
        "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "€", "😀",
        "\u{FFFF}", "\u{10FFFF}", "\u{2028}",
    ]
    var s = String.UnicodeScalarView()
    for _ in 0..<Int.random(in: 0..<12, using: &rng) {
        s.append(pool.randomElement(using: &rng)!)
    }
    return String(s)
}
