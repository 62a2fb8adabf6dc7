import FairwayProtocol
import Testing

@testable import FairwayClient

@Suite struct OrderFileReaderTests {
    private func csv(_ text: String) -> Result<[SourcedOrder], UsageError> {
        OrderFileReader.orders(Array(text.utf8), format: .csv, source: "f.csv")
    }

    private func jsonl(_ text: String) -> Result<[SourcedOrder], UsageError> {
        OrderFileReader.orders(Array(text.utf8), format: .jsonl, source: "f.jsonl")
    }

    @Test func csvRowsBecomeOrdersInHeaderOrder() throws {
        let text = #"""
            order_id,customer_id,units,cleared_at,depot,tier,not_before,deadline,notes
            SO-1,C-1,3,2026-11-23T10:00:00Z,north,gold,,2026-11-30T00:00:00Z,"one-off deal: free install, ""fast"""
            SO-2,C-2,,,,,,,

            """#
        let orders = try csv(text).get()
        #expect(orders.count == 2)
        #expect(orders[0].line == 2 && orders[1].line == 3)
        #expect(orders[0].order.jsonText == #"{"order_id":"SO-1","customer_id":"C-1","units":3,"cleared_at":"2026-11-23T10:00:00Z","depot":"north","tier":"gold","deadline":"2026-11-30T00:00:00Z","notes":"one-off deal: free install, \"fast\""}"#)
        #expect(orders[1].order.jsonText == #"{"order_id":"SO-2","customer_id":"C-2"}"#)
    }

    @Test func unitsIntegerConversion() throws {
        let orders = try csv("order_id,units\nA,7\nB, 12 \nC,+4\nD,3.5\nE,lots\nF,99999999999999999999\n").get()
        let units = orders.map { $0.order.objectValue?["units"] }
        #expect(units == [JSON(7), JSON(12), JSON(4), "3.5", "lots", "99999999999999999999"])
    }

    @Test func unknownHeaderNamesAreSentAsIs() throws {
        let orders = try csv("order_id,colour\nA,red\n").get()
        #expect(orders[0].order.jsonText == #"{"order_id":"A","colour":"red"}"#)
    }

    @Test func wholyEmptyRowsAreSkippedAndShortRowsAllowed() throws {
        let orders = try csv("order_id,customer_id,units\n,,\nA\n").get()
        #expect(orders.map(\.order.jsonText) == [#"{"order_id":"A"}"#])
        #expect(orders[0].line == 3)
    }

    @Test func tooManyCellsNamesTheLine() {
        guard case .failure(let error) = csv("order_id,customer_id\nA,B\nC,D,E\n") else {
            Issue.record("expected an error")
            return
        }
        #expect(error.message == "submit: f.csv line 3: 3 cells, but the header names 2 fields")
        #expect(error.command == "submit")
    }

    @Test func headerProblems() {
        if case .failure(let error) = csv("order_id,,units\nA,,1\n") {
            #expect(error.message == "submit: f.csv line 1: column 2 of the header has no name")
        } else {
            Issue.record("expected an error")
        }
        if case .failure(let error) = csv("order_id,order_id\nA,B\n") {
            #expect(error.message == "submit: f.csv line 1: the header names 'order_id' twice")
        } else {
            Issue.record("expected an error")
        }
    }

    @Test func noOrdersIsAnError() {
        if case .failure(let error) = csv("order_id,customer_id\n\n") {
            #expect(error.message == "submit: no orders in f.csv")
        } else {
            Issue.record("expected an error")
        }
    }

    @Test func jsonLinesSentAsIs() throws {
        let text = "{\"order_id\":\"A\",\"units\":1.0,\"x\":[1,2]}\r\n\n   \n{\"order_id\":\"B\"}"
        let orders = try jsonl(text).get()
        #expect(orders.map(\.line) == [1, 4])
        #expect(orders[0].order.jsonText == #"{"order_id":"A","units":1.0,"x":[1,2]}"#)
    }

    @Test func jsonLinesErrorsNameTheLine() {
        if case .failure(let error) = jsonl("{\"order_id\":\"A\"}\n[1]\n") {
            #expect(error.message.hasPrefix("submit: f.jsonl line 2: expected a JSON object, found array"))
        } else {
            Issue.record("expected an error")
        }
        if case .failure(let error) = jsonl("{\"order_id\":\"A\"}\n\n{\"order_id\":\n") {
            #expect(error.message.hasPrefix("submit: f.jsonl line 3: not valid JSON"))
        } else {
            Issue.record("expected an error")
        }
    }

    @Test func formatGuessing() {
        let csvBytes = Array("order_id\nA\n".utf8)
        let jsonBytes = Array("\n  {\"order_id\":\"A\"}\n".utf8)
        #expect(OrderFileReader.guessFormat(path: "x.csv", bytes: jsonBytes) == .csv)
        #expect(OrderFileReader.guessFormat(path: "x.CSV", bytes: jsonBytes) == .csv)
        #expect(OrderFileReader.guessFormat(path: "x.jsonl", bytes: csvBytes) == .jsonl)
        #expect(OrderFileReader.guessFormat(path: "dir.v2/x.json", bytes: csvBytes) == .jsonl)
        #expect(OrderFileReader.guessFormat(path: "orders.txt", bytes: jsonBytes) == .jsonl)
        #expect(OrderFileReader.guessFormat(path: "orders", bytes: csvBytes) == .csv)
        #expect(OrderFileReader.guessFormat(path: nil, bytes: jsonBytes) == .jsonl)
        #expect(OrderFileReader.guessFormat(path: nil, bytes: []) == .csv)
    }

    @Test func malformedInputExitsTwoWithoutConnecting() {
        let run = runCtl(
            ["--socket", "/nonexistent/sock", "submit", "bad.csv"],
            files: ["bad.csv": "order_id\n\"open\n"])
        #expect(run.exit == .usage)
        #expect(run.err.hasPrefix("fairwayctl: submit: bad.csv line 2: a quoted cell is never closed"))
        let terminal = runCtl(["submit"], stdinIsTerminal: true)
        #expect(terminal.exit == .usage)
    }
}

@Suite struct OversizedOrderTests {
    @Test func anOrderTooBigForOneLineIsAUsageError() {
        let notes = String(repeating: "x", count: SubmitBatcher.maxLineBytes)
        let text = "{\"order_id\":\"A\"}\n{\"order_id\":\"BIG\",\"notes\":\"\(notes)\"}\n"
        let run = runCtl(["--socket", "/nonexistent/sock", "submit", "big.jsonl"], files: ["big.jsonl": text])
        #expect(run.exit == .usage)
        #expect(run.err.hasPrefix("fairwayctl: submit: big.jsonl line 2: this order is too big to send"))
    }
}
