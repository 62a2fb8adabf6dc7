import FairwayCore
@testable import FairwayProtocol
import Testing

/// The request decoder against mutated and random input: it never crashes,
/// always answers with an operation or an error with a stable code.
@Suite struct RequestDecoderFuzzTests {
    static let seeds: [String] = [
        #"{"id":1,"op":"submit","orders":[{"order_id":"SO-1","customer_id":"C-1","units":3,"cleared_at":"2026-11-23T10:00:00Z","depot":"north","tier":"gold","not_before":"2026-11-25T00:00:00Z","deadline":"2026-11-30T00:00:00Z","notes":"one-off"}]}"#,
        #"{"op":"order","order_id":"SO-1"}"#,
        #"{"op":"queue","depot":"north","limit":5,"after":"SO-1"}"#,
        #"{"op":"schedule","from":"2026-11-23T00:00:00+01:00","to":"2026-12-01T00:00:00Z"}"#,
        #"{"op":"complain","order_id":"SO-1","channel":"phone","note":"x"}"#,
        #"{"op":"status"}"#,
    ]

    @Test func mutatedRequestsNeverCrashTheDecoder() {
        var rng = SeededRandom(seed: 42)
        var outcomes: [String: Int] = [:]
        let interesting: [UInt8] = Array(#"{}[]",:0123456789-.eE+truefalsn\u"#.utf8) + [0x00, 0x0A, 0xC0, 0xFF, 0xED, 0xA0, 0x80, 0xF4, 0x90]
        for i in 0..<30_000 {
            var bytes = Array(Self.seeds[i % Self.seeds.count].utf8)
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                guard !bytes.isEmpty else { break }
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 4 {
                case 0: bytes[at] = interesting[Int(rng.next() % UInt64(interesting.count))]
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(interesting[Int(rng.next() % UInt64(interesting.count))], at: at)
                default: bytes = Array(bytes[..<at])  // truncated
                }
            }
            let request = RequestDecoder.decode(bytes)
            switch request.operation {
            case .success(let op): outcomes["ok:" + op.name, default: 0] += 1
            case .failure(let e):
                outcomes[e.code.rawValue, default: 0] += 1
                #expect(!e.message.isEmpty)
                #expect([.badJSON, .invalidArgument, .unknownOp].contains(e.code))
            }
        }
        #expect((outcomes["bad_json"] ?? 0) > 1000)
        #expect((outcomes["invalid_argument"] ?? 0) > 100)
    }

    @Test func randomBytesAndDeepNestingAreBadJSON() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<5_000 {
            let bytes = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if case .failure(let e) = RequestDecoder.decode(bytes).operation {
                #expect([.badJSON, .invalidArgument, .unknownOp].contains(e.code))
            }
        }
        let deep = Array(String(repeating: "[", count: 100_000).utf8)
        guard case .failure(let e) = RequestDecoder.decode(deep).operation else {
            Issue.record("deep nesting decoded")
            return
        }
        #expect(e.code == .badJSON)
        #expect(e.message.contains("nesting"))
    }

    @Test func wrongTypesNameTheField() {
        let cases: [(String, String)] = [
            (#"{"op":"order","order_id":5}"#, "order_id"),
            (#"{"op":"queue","limit":"ten"}"#, "limit"),
            (#"{"op":"queue","limit":1.5}"#, "limit"),
            (#"{"op":"submit","orders":{}}"#, "orders"),
            (#"{"op":"submit","orders":[{"order_id":"a","customer_id":"b","units":"3"}]}"#, "units"),
            (#"{"op":"submit","orders":[{"order_id":"a","customer_id":"b","deadline":"tomorrow"}]}"#, "deadline"),
            (#"{"op":7}"#, "op"),
            (#"{"id":1}"#, "op"),
        ]
        for (text, field) in cases {
            let operation = RequestDecoder.decode(Array(text.utf8)).operation
            if case .success(.submit(_, _, let problems, _)) = operation {
                // Order-level problems travel with the submit, to be reported with the content checks.
                #expect(problems.contains { $0.field == field }, "\(text): \(problems)")
                continue
            }
            guard case .failure(let e) = operation else {
                Issue.record("\(text) decoded")
                continue
            }
            #expect(e.code == .invalidArgument, "\(text)")
            #expect(e.message.contains(field), "\(text): \(e.message)")
        }
    }
}
