import FairwayCore
import FairwayProtocol
import Testing

@testable import FairwayClient

/// A refused submit's message is read back into its problems and summed up
/// by cause, so a clump with a mistake in every row prints a few lines.
@Suite struct SubmitFaultsTests {
    /// `count` CSV orders `SO-0`, `SO-1`, ... on lines 2, 3, ...
    private func sourced(_ count: Int) -> [SourcedOrder] {
        (0..<count).map { i in
            SourcedOrder(order: .object(JSONObject([("order_id", .string("SO-\(i)")), ("customer_id", .string("C-1"))])), line: i + 2)
        }
    }

    @Test func theDaemonsMessageIsReadBackIntoItsProblems() {
        // Messages as the daemon writes them (OrderProblem.describe), fields and whole-order problems mixed.
        let problems = [
            OrderProblem(index: 0, orderID: "SO-0", field: "cleared_at", message: "'2026-12-07x' is not an RFC 3339 time like 2026-11-23T10:00:00Z"),
            OrderProblem(index: 0, orderID: "SO-0", field: "units", message: "0 is out of range 1..10000"),
            OrderProblem(index: 2, orderID: nil, field: "order_id", message: "missing"),
            OrderProblem(index: 3, orderID: "SO-3", field: "", message: "order_id already stored with other content (differs in units, notes)"),
            OrderProblem(index: 11, orderID: "a; b: c", field: "colour", message: "unknown field (known: cleared_at, customer_id)"),
        ]
        let faults = SubmitFaults.parse(OrderProblem.describe(problems))
        #expect(faults == problems.map { OrderFault(index: $0.index, field: $0.field, message: $0.message) })
        #expect(faults.map(\.cause) == ["cleared_at", "units", "order_id", "order_id already stored with other content", "colour"])
    }

    @Test(arguments: 0..<20) func randomProblemsSurviveTheRoundTrip(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        let fields = ["order_id", "customer_id", "units", "cleared_at", "depot", "tier", "not_before", "deadline", "notes", ""]
        let messages = ["missing", "must be a string, got number", "0 is out of range 1..10000", "'x' is not an RFC 3339 time like 2026-11-23T10:00:00Z",
                        "no depot named 'west' (known: north, south)", "order_id appears earlier in this submit with other content (differs in units)"]
        var problems: [OrderProblem] = []
        for index in 0..<Int(random.next() % 50 + 1) where random.next() % 3 != 0 {
            for field in Set((0..<Int(random.next() % 3 + 1)).map { _ in fields[Int(random.next() % UInt64(fields.count))] }).sorted() {
                let id: String? = random.next() % 4 == 0 ? nil : "SO-\(index)"
                problems.append(OrderProblem(index: index, orderID: id, field: field, message: messages[Int(random.next() % UInt64(messages.count))]))
            }
        }
        // describe() names each order once, with the first id it finds.
        let faults = SubmitFaults.parse(OrderProblem.describe(problems))
        #expect(faults == problems.map { OrderFault(index: $0.index, field: $0.field, message: $0.message) })
    }

    @Test func aMessageNamingNoOrderHasNoFaults() {
        #expect(SubmitFaults.parse("orders: must hold 1..10000 orders, got 0").isEmpty)
        #expect(SubmitFaults.parse("the state could not be written (disk full); nothing was changed").isEmpty)
    }

    @Test func aClumpWrongInEveryRowIsSummedUpInAFewLines() {
        let orders = sourced(300)
        var problems = (0..<300).map {
            OrderProblem(index: $0, orderID: "SO-\($0)", field: "cleared_at", message: "'2026-12-07' is not an RFC 3339 time like 2026-11-23T10:00:00Z")
        }
        problems += [17, 99].map { OrderProblem(index: $0, orderID: "SO-\($0)", field: "units", message: "0 is out of range 1..10000") }
        let message = OrderProblem.describe(problems)
        #expect(message.count > 25_000)
        let batch = SubmitBatch(id: 1, orders: 0..<300, firstLine: 2, lastLine: 301, request: [])
        let text = SubmitFaults.summary(SubmitFaults.parse(message), batch: batch, orders: orders)
        #expect(text == """
              cleared_at: 300 orders, e.g. line 2 (SO-0): '2026-12-07' is not an RFC 3339 time like 2026-11-23T10:00:00Z
                line 2 (SO-0), line 3 (SO-1), line 4 (SO-2), line 5 (SO-3), line 6 (SO-4), and 295 more
              units: 2 orders, e.g. line 19 (SO-17): 0 is out of range 1..10000
                line 19 (SO-17), line 101 (SO-99)

            """)
    }

    @Test func ordersOfALaterBatchAreNamedByTheirOwnLines() {
        let orders = sourced(30)
        let batch = SubmitBatch(id: 2, orders: 10..<20, firstLine: 12, lastLine: 21, request: [])
        let faults = SubmitFaults.parse("orders[3] (order_id SO-13): units: must be 1..10000")
        #expect(SubmitFaults.summary(faults, batch: batch, orders: orders)
            == "  units: 1 order, e.g. line 15 (SO-13): must be 1..10000\n    line 15 (SO-13)\n")
    }

    @Test func manyCausesAreCountedBeyondTheFirstTen() {
        let orders = sourced(12)
        let problems = (0..<12).map { OrderProblem(index: $0, orderID: "SO-\($0)", field: "extra\($0)", message: "unknown field") }
        let batch = SubmitBatch(id: 1, orders: 0..<12, firstLine: 2, lastLine: 13, request: [])
        let text = SubmitFaults.summary(SubmitFaults.parse(OrderProblem.describe(problems)), batch: batch, orders: orders)
        #expect(text.split(separator: "\n").count == 21)
        #expect(text.hasSuffix("  and 2 more causes\n"))
    }
}
