import FairwayProtocol
import Testing

/// Parses bytes and returns the error, or nil when parsing succeeded.
private func parseError(_ bytes: [UInt8], maxDepth: Int = 64) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes, maxDepth: maxDepth)
        return nil
    } catch {
        return error
    }
}

private func parseError(_ text: String, maxDepth: Int = 64) -> JSONParseError? {
    parseError(Array(text.utf8), maxDepth: maxDepth)
}

@Suite struct JSONParserTests {
    @Test func scalars() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse("true") == .bool(true))
        #expect(try JSONParser.parse("false") == .bool(false))
        #expect(try JSONParser.parse("\"hi\"") == .string("hi"))
        #expect(try JSONParser.parse("42") == .number("42"))
        #expect(try JSONParser.parse(" \t\r\n 42 \n") == .number("42"))
    }

    @Test func orderObject() throws {
        let text = """
            {"order_id": "SO-1042", "customer_id": "C-77", "units": 3,
             "cleared_at": "2026-11-23T10:00:00Z", "depot": "north",
             "tier": "gold", "not_before": "2026-11-25T00:00:00Z",
             "deadline": "2026-11-30T00:00:00Z", "notes": "one-off deal: free install"}
            """
        let value = try JSONParser.parse(text)
        let object = try #require(value.objectValue)
        #expect(object.count == 9)
        #expect(object.keys.first == "order_id")
        #expect(object.keys.last == "notes")
        #expect(object["order_id"]?.stringValue == "SO-1042")
        #expect(object["units"]?.intValue == 3)
        #expect(object["notes"]?.stringValue == "one-off deal: free install")
        #expect(object["missing"] == nil)
    }

    @Test func nested() throws {
        let value = try JSONParser.parse(#"{"a":[1,{"b":null},[]],"c":{},"d":[[true]]}"#)
        let expected: JSON = ["a": [1, ["b": nil], []], "c": [:], "d": [[true]]]
        #expect(value == expected)
    }

    @Test func duplicateKeysAreKept() throws {
        let object = try #require(try JSONParser.parse(#"{"a":1,"a":2}"#).objectValue)
        #expect(object.count == 2)
        #expect(object.keys == ["a", "a"])
        #expect(object["a"] == .number("1"))
    }

    @Test func everyEscape() throws {
        let value = try JSONParser.parse(#""\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC \u0000""#)
        #expect(value == .string("\" \\ / \u{08} \u{0C} \n \r \t A é € \u{0}"))
        #expect(try JSONParser.parse(#""abc\ndef""#) == .string("abc\ndef"))
    }

    @Test func surrogatePairs() throws {
        #expect(try JSONParser.parse(#""\uD83D\uDE00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""x\ud834\udd1ey""#) == .string("x𝄞y"))
        #expect(try JSONParser.parse(#""\uDBFF\uDFFF""#) == .string("\u{10FFFF}"))
    }

    @Test(arguments: [
        #""\uD83D""#, #""\uD83Dx""#, #""\uD83D\n""#, #""\uDE00""#, #""\uD83D\u0041""#,
        #""\uDE00\uD83D""#,
    ])
    func loneSurrogateEscapes(_ text: String) throws {
        let error = try #require(parseError(text))
        #expect(error.kind == .invalidJSON)
        #expect(error.message.contains("surrogate"))
    }

    @Test func rawUTF8InStrings() throws {
        #expect(try JSONParser.parse("\"héllo € 😀 \u{10FFFF}\"") == .string("héllo € 😀 \u{10FFFF}"))
        #expect(try JSONParser.parse("\"é\\n€\"") == .string("é\n€"))
    }

    @Test(arguments: [
        [0x22, 0x80, 0x22],  // lone continuation byte
        [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
        [0x22, 0xC1, 0xBF, 0x22],  // overlong
        [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong 3-byte
        [0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22],  // overlong 4-byte
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // UTF-8 encoded surrogate U+D800
        [0x22, 0xED, 0xBF, 0xBF, 0x22],  // UTF-8 encoded surrogate U+DFFF
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],  // invalid lead byte
        [0x22, 0xFF, 0x22],
        [0x22, 0xE2, 0x82, 0x22],  // truncated 3-byte sequence
        [0x22, 0xE2, 0x82],  // truncated at end of input
        [0x22, 0xF0, 0x9F, 0x98, 0x22],  // truncated 4-byte sequence
        [0x22, 0x5C, 0x6E, 0xC3, 0x22],  // truncated after an escape
        [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x31, 0x7D, 0xFF],  // after the value
        [0xC3],  // where a value should be
    ] as [[UInt8]])
    func invalidUTF8(_ bytes: [UInt8]) throws {
        let error = try #require(parseError(bytes))
        #expect(error.kind == .invalidUTF8)
        #expect(error.message.hasPrefix("invalid UTF-8 at byte "))
    }

    @Test func invalidUTF8Offset() throws {
        let error = try #require(parseError([0x7B, 0x22, 0x61, 0x80, 0x22, 0x3A, 0x31, 0x7D]))
        #expect(error == JSONParseError(kind: .invalidUTF8, offset: 3, message: "invalid UTF-8 at byte 3"))
    }

    @Test func controlCharactersInStringsRejected() throws {
        for b: UInt8 in 0..<0x20 {
            let error = try #require(parseError([0x22, b, 0x22]))
            #expect(error.kind == .invalidJSON)
            #expect(error.offset == 1)
        }
        // Also after an escape (slow path).
        #expect(parseError([0x22, 0x5C, 0x6E, 0x0A, 0x22])?.offset == 3)
        // DEL is allowed.
        #expect(try JSONParser.parse([0x22, 0x7F, 0x22]) == .string("\u{7F}"))
    }

    @Test(arguments: [
        ("0", true), ("-0", true), ("1e5", true), ("1E+5", true), ("1e-5", true), ("-1.5e-10", true),
        ("0.0", true), ("123456789", true), ("-0.0e0", true), ("1.25", true),
        ("01", false), ("-01", false), ("00", false), ("1.", false), (".5", false), ("-", false),
        ("+1", false), ("1e", false), ("1e+", false), ("1.e5", false), ("-.5", false), ("0x10", false),
        ("NaN", false), ("Infinity", false), ("-Infinity", false), ("1_000", false), ("1.5.2", false),
        ("--1", false), ("1ee5", false),
    ])
    func numberGrammar(_ text: String, _ valid: Bool) throws {
        if valid {
            #expect(try JSONParser.parse(text) == .number(text))
        } else {
            let error = try #require(parseError(text))
            #expect(error.kind == .invalidJSON)
        }
    }

    @Test func largeNumbersKeptAsLiteral() throws {
        let big = "123456789012345678901234567890.123456789e+400"
        #expect(try JSONParser.parse("[\(big)]") == .array([.number(big)]))
        #expect(try JSONParser.parse("[\(big)]").serialized() == Array("[\(big)]".utf8))
        let id = try JSONParser.parse(#"{"id":1.50}"#).objectValue?["id"]
        #expect(id == .number("1.50"))
        #expect(id?.serialized() == Array("1.50".utf8))
    }

    @Test func leadingZeroMessage() throws {
        let error = try #require(parseError("[01]"))
        #expect(error.offset == 2)
        #expect(error.message == "invalid JSON at byte 2: leading zeros are not allowed in numbers")
    }

    @Test(arguments: [
        "", " ", "nul", "nulll", "True", "tru", "[", "]", "{", "}", "[1,]", "[,1]", "[1 2]",
        #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#, #"{a:1}"#, #"{'a':1}"#, #"{"a":1"#, #"{"a" 1}"#,
        #"{"a":1 "b":2}"#, "\"abc", #""\x""#, #""\u12G4""#, #""\u12""#, "[1]]", "{}{}", "1 2",
        "\u{FEFF}1", "[1,\u{A0}2]", "'a'", "/* c */ 1", "\u{0B}1", "\"\\\"",
    ])
    func invalidJSON(_ text: String) throws {
        let error = try #require(parseError(text))
        #expect(error.kind == .invalidJSON)
        #expect(error.message.hasPrefix("invalid JSON at byte \(error.offset): "))
    }

    @Test func errorMessagesNameOffsetAndExpectation() throws {
        let error = try #require(parseError(#"{"order_id":"SO-1" "x":1}"#))
        #expect(error.offset == 19)
        #expect(error.message == "invalid JSON at byte 19: expected ',' or '}', found '\"'")

        let end = try #require(parseError(#"{"a":[1,2"#))
        #expect(end.offset == 9)
        #expect(end.message == "invalid JSON at byte 9: unexpected end of input, expected ',' or ']'")

        let trailing = try #require(parseError("{} x"))
        #expect(trailing.offset == 3)
        #expect(trailing.message.contains("end of input after the JSON value"))

        #expect(parseError("")?.message == "invalid JSON at byte 0: empty input")
    }

    @Test func depthLimit() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(parseError(ok) == nil)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = try #require(parseError(tooDeep))
        #expect(error.kind == .tooDeep)
        #expect(error.offset == 64)
        #expect(error.message.contains("nesting deeper than 64"))

        let objects = String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(parseError(objects)?.kind == .tooDeep)
        #expect(parseError(objects, maxDepth: 65) == nil)
        #expect(parseError("[[1]]", maxDepth: 1)?.kind == .tooDeep)
        #expect(parseError("1", maxDepth: 0) == nil)
        #expect(parseError("[]", maxDepth: 0)?.kind == .tooDeep)
        // Siblings do not add depth.
        let wide = "[" + Array(repeating: "[[1]]", count: 100).joined(separator: ",") + "]"
        #expect(parseError(wide, maxDepth: 3) == nil)
        // Very deep input fails fast without exhausting the stack.
        let huge = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(parseError(huge)?.kind == .tooDeep)
    }

    @Test func rawBufferEntryPoint() throws {
        let bytes = Array(#"{"ok":true}"#.utf8)
        let value = try bytes.withUnsafeBytes { try JSONParser.parse($0) }
        #expect(value == ["ok": true])
        let empty = try #require(parseError([UInt8]()))
        #expect(empty.kind == .invalidJSON)
    }

    @Test func accessors() throws {
        let v = try JSONParser.parse(
            #"{"s":"x","b":false,"i":-12,"f":1.5,"e":1e2,"z":3.0,"n":null,"a":[1],"o":{},"big":99999999999999999999}"#)
        let o = try #require(v.objectValue)
        #expect(o["s"]?.stringValue == "x")
        #expect(o["b"]?.boolValue == false)
        #expect(o["i"]?.intValue == -12)
        #expect(o["f"]?.intValue == nil)
        #expect(o["f"]?.doubleValue == 1.5)
        #expect(o["e"]?.intValue == nil)
        #expect(o["e"]?.doubleValue == 100)
        #expect(o["z"]?.intValue == nil)
        #expect(o["big"]?.intValue == nil)
        #expect(o["n"]?.isNull == true)
        #expect(o["s"]?.isNull == false)
        #expect(o["a"]?.arrayValue == [1])
        #expect(o["o"]?.objectValue == JSONObject())
        #expect(o["s"]?.intValue == nil)
        #expect(o.keys.map { o[$0]!.typeName } == [
            "string", "boolean", "number", "number", "number", "number", "null", "array", "object", "number",
        ])
        #expect(JSON.number("-9223372036854775808").intValue == Int.min)
        #expect(JSON.number("9223372036854775807").intValue == Int.max)
        #expect(JSON.number("9223372036854775808").intValue == nil)
        #expect(JSON.number("-0").intValue == 0)
    }

    @Test func utf8ValidationAgreesWithTheStandardLibrary() throws {
        // Random byte soups inside quotes (no quote, backslash or control
        // bytes): the parser accepts exactly what Swift's validator accepts.
        var state: UInt64 = 0xC0FFEE
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let interesting: [UInt8] = [
            0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
            0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ]
        var accepted = 0
        for _ in 0..<20_000 {
            let length = Int(next() % 6) + 1
            let body = (0..<length).map { _ in interesting[Int(next() % UInt64(interesting.count))] }
            let parsed = try? JSONParser.parse([0x22] + body + [0x22])
            if let expected = String(validating: body, as: UTF8.self) {
                #expect(parsed == .string(expected), "bytes \(body)")
                accepted += 1
            } else {
                #expect(parseError([0x22] + body + [0x22])?.kind == .invalidUTF8, "bytes \(body)")
            }
        }
        #expect(accepted > 100)
    }

    @Test func mutatedInputNeverCrashes() {
        let seed = Array(
            #"{"id":[1,-2.5e+3,"x\u00e9\n",true,false,null],"op":"submit","orders":[{"order_id":"SO-1","units":3}]}"#
                .utf8)
        var state: UInt64 = 42
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<20_000 {
            var bytes = seed
            for _ in 0..<(next() % 4 + 1) {
                switch next() % 3 {
                case 0: bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next())
                case 1: bytes.remove(at: next() % bytes.count)
                default: bytes.insert(UInt8(truncatingIfNeeded: next()), at: next() % (bytes.count + 1))
                }
                if bytes.isEmpty { bytes = [0x30] }
            }
            if let value = try? JSONParser.parse(bytes) {
                // Whatever parses re-serializes to something that parses equal.
                #expect((try? JSONParser.parse(value.serialized())) == value)
            } else if let error = parseError(bytes) {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
    }
}
