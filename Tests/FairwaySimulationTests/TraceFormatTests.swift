import FairwayCore
import FairwaySimulation
import Testing

@Suite struct TraceFormatTests {
    func parse(_ text: String) throws(TraceError) -> Trace { try Trace(csv: Array(text.utf8)) }

    func error(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    static let header = "at,event,order_id,customer_id,units,tier,depot,not_before,deadline,capacity,from,to,reason\n"

    @Test func writtenTracesReadBackEqual() throws {
        let config = scenarioConfig()
        var trace = generatedTrace(seed: 5, config: config, days: 1, customers: 20)
        trace.events.append(TraceEvent(
            at: trace.events.last!.at, kind: .capacity, depot: "north", capacity: 0, from: t0, to: t0.adding(seconds: 7200),
            reason: "truck 3, \"in repair\""))
        trace.events.append(TraceEvent(at: trace.events.last!.at, kind: .expedite, orderID: "SO-0000001", reason: "dialysis"))
        let text = trace.csv()
        var read = try parse(text)
        for i in read.events.indices { read.events[i].line = 0 }
        #expect(read == trace)
        #expect(text.hasPrefix(Self.header))
    }

    @Test func anExportedClearanceTimeIsAnExtraColumn() throws {
        let text = "at,event,order_id,customer_id,cleared_at\n2026-11-23T10:00:00.250Z,order,SO-1,C-1,2026-11-23T08:00:00Z\n"
        let trace = try parse(text)
        #expect(trace.events[0].at == Timestamp(milliseconds: t0.milliseconds + 10 * 3_600_000 + 250))
        #expect(trace.events[0].clearedAt == t0.adding(seconds: 8 * 3600))
        #expect(trace.csv().contains(",2026-11-23T10:00:00.250Z,") == false)
        #expect(trace.csv().hasPrefix("2026") == false)
        #expect(try parse(trace.csv()).events.map(\.clearedAt) == trace.events.map(\.clearedAt))
    }

    @Test func errorsNameTheLineAndTheColumn() {
        #expect(error("") == "line 1: the trace is empty: a header row is needed (\(Trace.columns.joined(separator: ",")))")
        #expect(error("at,event,colour\n") == "line 1, column 3: unknown column 'colour' (known: \(Trace.columns.joined(separator: ", ")), cleared_at)")
        #expect(error("at,order_id\n") == "line 1: the header has no 'event' column")
        #expect(error(Self.header + "2026-11-23T10:00:00Z,order,SO-1,C-1,0,,,,,,,,\n")
            == "line 2, column units: '0' is not a whole number from 1 to 10000")
        #expect(error(Self.header + "2026-11-23T10:00:00Z,order,,C-1,,,,,,,,,\n") == "line 2, column order_id: a order event needs it")
        #expect(error(Self.header + "yesterday,order,SO-1,C-1,,,,,,,,,\n")
            == "line 2, column at: 'yesterday' is not an RFC 3339 time such as 2026-11-23T06:00:00Z")
        #expect(error(Self.header + "2026-11-23T10:00:00Z,refund,SO-1,,,,,,,,,,\n")
            == "line 2, column event: 'refund' is not an event (known: order, complaint, capacity, expedite)")
        #expect(error(Self.header + "2026-11-23T10:00:00Z,complaint,SO-1,,3,,,,,,,,\n")
            == "line 2, column units: does not apply to a complaint event (leave it empty)")
        #expect(error(Self.header + "2026-11-23T10:00:00Z,order,SO-1,C-1,,,,,,,,,\n2026-11-23T09:00:00Z,complaint,SO-1,,,,,,,,,,\n")
            == "line 3, column at: 2026-11-23T09:00:00Z is earlier than the line before (2026-11-23T10:00:00Z): events must be in time order")
        #expect(error(Self.header + "2026-11-23T10:00:00Z,capacity,,,,,north,,,5,2026-11-24T00:00:00Z,2026-11-25T00:00:00Z,\n")
            == "line 2, column reason: a capacity event that sets a capacity needs a reason")
        #expect(error(Self.header + "2026-11-23T10:00:00Z,capacity,,,,,north,,,,2026-11-25T00:00:00Z,2026-11-24T00:00:00Z,\n")
            == "line 2, column to: 2026-11-24T00:00:00Z is not after 'from' (2026-11-25T00:00:00Z)")
        #expect(error(Self.header + "2026-11-23T10:00:00Z,order,SO-1\n") == "line 2: 3 cells where the header names 13 columns")
    }
}
