import FairwayProtocol
import Testing

@testable import FairwayClient

/// The desk's commands of contract 1.1: dry runs, expedites, manifests and
/// outcome files, parsed and read before anything is sent.
@Suite struct DeskCommandTests {
    private func command(_ arguments: [String]) -> Command? { try? parse(arguments).get().command }
    private func error(_ arguments: [String]) -> String? {
        if case .failure(let e) = parse(arguments) { return e.message }
        return nil
    }

    @Test func commandsParse() {
        #expect(command(["expedite", "SO-1", "--reason", "hospital"]) == .expedite(id: "SO-1", reason: "hospital", dryRun: false))
        #expect(command(["expedite", "--dry-run", "SO-1", "--reason=x"]) == .expedite(id: "SO-1", reason: "x", dryRun: true))
        #expect(command(["expedites"]) == .expedites(from: nil, to: nil))
        #expect(command(["expedites", "--from", "2026-11-24"]) == .expedites(from: "2026-11-24T00:00:00Z", to: nil))
        #expect(command(["manifest", "north"]) == .manifest(depot: "north", slot: nil, csv: false))
        #expect(command(["manifest", "north", "--slot", "2026-11-24T09:30:00Z", "--csv"])
            == .manifest(depot: "north", slot: "2026-11-24T09:30:00Z", csv: true))
        #expect(command(["deliver", "--file", "day.csv"]) == .outcomeFile(op: "deliver", path: "day.csv"))
        #expect(command(["fail", "--file=-"]) == .outcomeFile(op: "fail", path: "-"))
        guard case .submit(let options)? = command(["submit", "--dry-run", "--orders", "clump.csv"]) else {
            Issue.record("not a submit")
            return
        }
        #expect(options.dryRun && options.listOrders && options.file == "clump.csv")
    }

    @Test func usageErrorsNameWhatIsWrong() {
        #expect(error(["expedite", "SO-1"])?.contains("--reason TEXT is required") == true)
        #expect(error(["expedite", "--reason", "x"])?.contains("missing the order ID") == true)
        #expect(error(["expedites", "--to", "soon"])?.contains("--to must be an RFC 3339 time") == true)
        #expect(error(["manifest"])?.contains("missing the DEPOT") == true)
        #expect(error(["manifest", "north", "--slot", "noon"])?.contains("--slot must be") == true)
        #expect(error(["deliver", "SO-1", "--file", "day.csv"])?.contains("not both") == true)
        #expect(error(["fail", "--file", "day.csv", "--reason", "address"])?.contains("with --file it comes from each row") == true)
        #expect(error(["submit", "--orders", "clump.csv"])?.contains("--orders goes with --dry-run") == true)
    }

    /// The requests of an outcome file's rows, as JSON text, or the problem.
    private func rows(_ text: String, op: String) -> [String] {
        guard case .success(let rows) = OutcomeFileCommand.rows(Array(text.utf8), op: op, source: "f.csv") else { return ["unreadable"] }
        return rows.map { row in
            switch row.request {
            case .success(let json): "\(row.line): " + String(decoding: json.serialized(), as: UTF8.self)
            case .failure(let e): "\(row.line): \(e.message)"
            }
        }
    }

    @Test func outcomeFilesBecomeOneRequestPerRowAndBadRowsAreNamed() {
        #expect(rows("SO-1,2026-11-24T09:40:00Z\nSO-2,\n\nSO-3,noon\n,\n", op: "deliver") == [
            #"1: {"op":"deliver","order_id":"SO-1","at":"2026-11-24T09:40:00Z"}"#,
            #"2: {"op":"deliver","order_id":"SO-2"}"#,
            "4: at: 'noon' is not an RFC 3339 time such as 2026-11-24T09:40:00Z",
        ])
        #expect(rows("order_id,reason,retry,note\nSO-1,customer_absent,yes,\"out, back at 5\"\nSO-2,stock\nSO-3\nSO-4,address,maybe\n", op: "fail") == [
            #"2: {"op":"fail","order_id":"SO-1","reason":"customer_absent","note":"out, back at 5","retry":true}"#,
            #"3: {"op":"fail","order_id":"SO-2","reason":"stock"}"#,
            "4: reason: missing (fail needs one)",
            "5: retry: 'maybe' is not true or false",
        ])
        #expect(rows("SO-1,,damaged\n", op: "deliver") == ["1: reason: deliver takes order_id and at only (reason is for fail)"])
        #expect(rows("SO-1,,a,b,true,extra\n", op: "fail") == ["1: 6 cells, but there are 5 columns (order_id,at,reason,note,retry)"])
        guard case .failure(let e) = OutcomeFileCommand.rows(Array("order_id,when\nSO-1,x\n".utf8), op: "deliver", source: "f.csv") else {
            Issue.record("a header with an unknown column is refused")
            return
        }
        #expect(e.message.contains("names 'when'"))
    }
}
