import FairwayProtocol
import Testing

@testable import FairwayClient

@Suite struct SubmitBatcherTests {
    private func orders(_ count: Int) -> [SourcedOrder] {
        (0..<count).map { i in
            SourcedOrder(order: ["order_id": .string("SO-\(i)"), "customer_id": "C-1", "units": 1], line: i + 2)
        }
    }

    @Test func tenThousandFiveHundredInBatchesOfAThousand() throws {
        let input = orders(10_500)
        let batches = SubmitBatcher.batches(input, batchSize: 1000)
        #expect(batches.count == 11)
        #expect(batches.map(\.orders.count) == Array(repeating: 1000, count: 10) + [500])
        #expect(batches.map(\.id) == Array(1...11))
        #expect(batches[0].lineRange == "lines 2–1001")
        #expect(batches[10].lineRange == "lines 10002–10501")
        for batch in batches {
            #expect(batch.request.last == 0x0A)
            let request = try JSONParser.parse(Array(batch.request.dropLast())).objectValue
            #expect(request?["id"] == JSON(batch.id))
            #expect(request?["op"] == "submit")
            let sent = request?["orders"]?.arrayValue ?? []
            #expect(sent == input[batch.orders].map(\.order))
        }
    }

    @Test func smallInputsAndSingleLines() {
        let one = SubmitBatcher.batches(orders(1), batchSize: 1000)
        #expect(one.count == 1)
        #expect(one[0].lineRange == "line 2")
        #expect(String(decoding: one[0].request, as: UTF8.self)
            == "{\"id\":1,\"op\":\"submit\",\"orders\":[{\"order_id\":\"SO-0\",\"customer_id\":\"C-1\",\"units\":1}]}\n")
        #expect(SubmitBatcher.batches(orders(3), batchSize: 1).map(\.orders) == [0..<1, 1..<2, 2..<3])
        #expect(SubmitBatcher.batches([], batchSize: 5).isEmpty)
    }

    @Test func batchesCloseEarlyToStayUnderTheLineLimit() {
        let input = orders(100)
        let limit = 600
        let batches = SubmitBatcher.batches(input, batchSize: 1000, maxLineBytes: limit)
        #expect(batches.count > 1)
        #expect(batches.reduce(0) { $0 + $1.orders.count } == 100)
        for batch in batches { #expect(batch.request.count - 1 <= limit) }
        // Contiguous, in order.
        for (a, b) in zip(batches, batches.dropFirst()) { #expect(a.orders.upperBound == b.orders.lowerBound) }
    }

    @Test func anOversizedOrderGoesAlone() {
        var input = orders(3)
        input[1].order = ["order_id": "BIG", "notes": .string(String(repeating: "x", count: 2000))]
        let batches = SubmitBatcher.batches(input, batchSize: 1000, maxLineBytes: 1000)
        #expect(batches.map(\.orders) == [0..<1, 1..<2, 2..<3])
    }
}
