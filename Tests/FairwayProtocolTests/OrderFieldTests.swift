import FairwayCore
@testable import FairwayProtocol
import Testing

/// An order's fields: unknown and repeated keys are named, each once, with
/// the order's place in the batch; every known key may appear once.
@Suite struct OrderFieldTests {
    /// The problems the decoder found in a submit's orders, as the answer
    /// will name them (the scheduler adds its own and refuses the batch).
    func problems(_ line: String) -> String? {
        guard case .success(.submit(_, _, let problems, _)) = RequestDecoder.decode(Array(line.utf8)).operation else {
            Issue.record("not decoded as a submit: \(line)")
            return nil
        }
        return problems.isEmpty ? nil : OrderProblem.describe(problems)
    }

    @Test func everyKnownFieldOnceIsAccepted() {
        let line = #"{"op":"submit","orders":[{"order_id":"SO-1","customer_id":"C-1","units":3,"cleared_at":"2026-11-23T10:00:00Z","depot":"north","tier":"gold","not_before":"2026-11-25T00:00:00Z","deadline":"2026-11-30T00:00:00Z","notes":"x"}]}"#
        #expect(problems(line) == nil)
    }

    @Test func anUnknownFieldIsNamedWithTheKnownOnes() throws {
        let message = try #require(problems(#"{"op":"submit","orders":[{"order_id":"SO-1","customer_id":"C-1"},{"order_id":"SO-2","customer_id":"C-1","colour":"red"}]}"#))
        #expect(message.contains("orders[1]"), "\(message)")
        #expect(message.contains("SO-2"), "\(message)")
        #expect(message.contains("colour: unknown field (known: cleared_at, customer_id, deadline, depot, not_before, notes, order_id, tier, units)"), "\(message)")
        #expect(!message.contains("orders[0]"), "\(message)")
    }

    @Test func aRepeatedFieldIsNamedOncePerRepeat() throws {
        let message = try #require(problems(#"{"op":"submit","orders":[{"order_id":"SO-1","customer_id":"C-1","units":1,"notes":"a","units":2,"notes":"b"}]}"#))
        #expect(message.contains("units: given twice"), "\(message)")
        #expect(message.contains("notes: given twice"), "\(message)")
        #expect(!message.contains("order_id: given twice"), "\(message)")
    }
}
