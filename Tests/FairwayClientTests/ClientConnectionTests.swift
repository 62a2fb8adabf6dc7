import FairwayProtocol
import Glibc
import Testing

@testable import FairwayClient

/// The client against an in-process fake daemon: exit codes and pipelining.
@Suite(.serialized) struct ClientConnectionTests {
    /// A submit answer for `request`: every order queued, none duplicate.
    private static func submitAnswer(_ request: JSONObject) -> String {
        let orders = request["orders"]?.arrayValue ?? []
        let results = orders.map { order -> String in
            let id = order.objectValue?["order_id"]?.jsonText ?? "null"
            return "{\"order_id\":\(id),\"state\":\"queued\",\"slot_start\":null,\"slot_end\":null,\"duplicate\":false}"
        }
        return okReply(request, "\"accepted\":\(orders.count),\"duplicates\":0,\"results\":[\(results.joined(separator: ","))]")
    }

    private static func csv(_ count: Int) -> String {
        "order_id,customer_id,units\n" + (0..<count).map { "SO-\($0),C-\($0 % 7),\($0 % 5 + 1)\n" }.joined()
    }

    @Test func unreachableExitsThree() {
        let run = runCtl(["--socket", "/tmp/fairway-no-such-dir/sock", "status"])
        #expect(run.exit == .unreachable)
        #expect(run.err.hasPrefix("fairwayctl: cannot reach fairwayd at /tmp/fairway-no-such-dir/sock (from --socket): No such file or directory\n"))
        let fromEnvironment = runCtl(["order", "X"], environment: ["FAIRWAY_SOCKET": "/tmp/fairway-no-such-dir/env"])
        #expect(fromEnvironment.err.contains("/tmp/fairway-no-such-dir/env"))
        let submit = runCtl(["--socket", "/tmp/fairway-no-such-dir/sock", "submit", "-"], stdin: Self.csv(3))
        #expect(submit.exit == .unreachable)
    }

    @Test func successPrintsRenderedAnswerAndJSONAsIs() throws {
        let daemon = try FakeDaemon { request in
            okReply(request, #""customer":{"customer_id":"C-77","tier":"gold","weight":8,"queued":3,"committed":1,"delivered":12,"complaints":2}"#)
        }
        let run = runCtl(["customer", "C-77", "--socket", daemon.path])
        daemon.stop()
        #expect(run.exit == .success)
        #expect(run.out.hasPrefix("Customer C-77\n  Tier:        gold (weight 8)\n"))
        #expect(daemon.received == [#"{"id":1,"op":"customer","customer_id":"C-77"}"#])

        let again = try FakeDaemon { request in okReply(request, #""customer":{"customer_id":"C-77"}"#) }
        let json = runCtl(["--json", "--socket", again.path, "customer", "C-77"])
        again.stop()
        #expect(json.exit == .success)
        #expect(json.out == #"{"id":1,"ok":true,"customer":{"customer_id":"C-77"}}"# + "\n")
    }

    @Test func daemonErrorExitsOne() throws {
        let daemon = try FakeDaemon { request in errorReply(request, code: "not_found", message: "no order SO-9") }
        let run = runCtl(["--socket", daemon.path, "cancel", "SO-9", "--reason", "typo"])
        daemon.stop()
        #expect(run.exit == .daemonError)
        #expect(run.err == "fairwayctl: not_found: no order SO-9\n")
        #expect(run.out.isEmpty)
        #expect(daemon.received == [#"{"id":1,"op":"cancel","order_id":"SO-9","reason":"typo"}"#])
    }

    @Test func garbageAnswerExitsOne() throws {
        let daemon = try FakeDaemon { _ in "hello" }
        let run = runCtl(["--socket", daemon.path, "status"])
        daemon.stop()
        #expect(run.exit == .daemonError)
        #expect(run.err.hasPrefix("fairwayctl: bad_response: "))
    }

    @Test func submitPipelinesEveryBatchOnOneConnection() throws {
        // The fake answers nothing until all five requests are in: a client
        // that waited for each answer would time out.
        let daemon = try FakeDaemon(holdUntil: 5, answer: Self.submitAnswer)
        let run = runCtl(["--socket", daemon.path, "--timeout", "5", "submit", "--batch", "10", "-"], stdin: Self.csv(45))
        daemon.stop()
        #expect(run.exit == .success)
        #expect(run.out == "Submitted 45 orders in 5 batches: 45 accepted, 0 duplicates; 45 queued.\n")
        #expect(run.err.isEmpty)
        let sizes = daemon.received.map { line in
            ((try? JSONParser.parse(line))?.objectValue?["orders"]?.arrayValue ?? []).count
        }
        #expect(sizes == [10, 10, 10, 10, 5])
        #expect(daemon.received.first?.hasPrefix(#"{"id":1,"op":"submit","orders":[{"order_id":"SO-0","customer_id":"C-0","units":1}"#) == true)
    }

    @Test func submitWithAFailingBatchSendsEverythingAndExitsOne() throws {
        let daemon = try FakeDaemon { request in
            if request["id"] == JSON(2) {
                return errorReply(request, code: "invalid_argument", message: "orders[3] (SO-13): units: must be 1..10000")
            }
            return Self.submitAnswer(request)
        }
        let run = runCtl(["--socket", daemon.path, "submit", "in.csv", "--batch", "10"], files: ["in.csv": Self.csv(30)])
        daemon.stop()
        #expect(run.exit == .daemonError)
        #expect(daemon.received.count == 3)
        #expect(run.out.contains("stored 20 in 2 of 3 batches: 20 accepted, 0 duplicates; 20 queued."))
        #expect(run.err == """
            fairwayctl: batch 2 of 3 (lines 12–21 of in.csv) refused (invalid_argument), nothing in it stored; 1 order with problems, by cause:
              units: 1 order, e.g. line 15 (SO-13): must be 1..10000
                line 15 (SO-13)
            fairwayctl: every order and field the daemon named: run again with --json (answers on standard output)

            """)
    }

    @Test func aClumpWrongInEveryRowIsSummedUpAndJSONHasEveryProblem() throws {
        // The daemon names all 1000 orders in one message, as it does for a date where a time belongs.
        let daemon = try FakeDaemon { request in
            let message = (0..<1000).map { "orders[\($0)] (order_id SO-\($0)): cleared_at: '2026-12-07x' is not an RFC 3339 time like 2026-11-23T10:00:00Z" }
            return errorReply(request, code: "invalid_argument", message: message.joined(separator: "; "))
        }
        let run = runCtl(["--socket", daemon.path, "submit", "in.csv"], files: ["in.csv": Self.csv(1000)])
        daemon.stop()
        #expect(run.exit == .daemonError)
        #expect(run.out == "Sent 1000 orders in 1 batch; stored 0 in 0 of 1 batches.\nRejected 1000 orders in 1 batch; nothing in it was stored.\n")
        let lines = run.err.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1] == "  cleared_at: 1000 orders, e.g. line 2 (SO-0): '2026-12-07x' is not an RFC 3339 time like 2026-11-23T10:00:00Z")
        #expect(lines[2] == "    line 2 (SO-0), line 3 (SO-1), line 4 (SO-2), line 5 (SO-3), line 6 (SO-4), and 995 more")
        #expect(run.err.count < 600)

        let json = try FakeDaemon { request in
            errorReply(request, code: "invalid_argument", message: (0..<1000).map { "orders[\($0)]: units: 0 is out of range 1..10000" }.joined(separator: "; "))
        }
        let full = runCtl(["--json", "--socket", json.path, "submit", "in.csv"], files: ["in.csv": Self.csv(1000)])
        json.stop()
        #expect(full.exit == .daemonError)
        // Every problem is in the answer on standard output; standard error sums them up, without the hint.
        #expect(full.out.ranges(of: "units: 0 is out of range").count == 1000)
        #expect(full.err.contains("  units: 1000 orders, e.g. line 2 (SO-0): 0 is out of range 1..10000\n"))
        #expect(!full.err.contains("run again with --json"))
    }

    @Test func submitJSONPrintsEachBatchAnswer() throws {
        let daemon = try FakeDaemon(answer: Self.submitAnswer)
        let run = runCtl(["--socket", daemon.path, "--json", "submit", "--batch", "2", "-"], stdin: Self.csv(3))
        daemon.stop()
        #expect(run.exit == .success)
        let lines = run.out.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix("{\"id\":") && $0.contains("\"ok\":true") })
    }

    @Test func connectionClosedMidwayExitsThree() throws {
        let daemon = try FakeDaemon(closeAfter: 1, answer: Self.submitAnswer)
        let run = runCtl(["--socket", daemon.path, "submit", "--batch", "5", "-"], stdin: Self.csv(12))
        daemon.stop()
        #expect(run.exit == .unreachable)
        #expect(run.out.contains("stored 5 in 1 of 3 batches"))
        #expect(run.out.contains("No answer for 2 batches"))
        #expect(run.err.contains("fairwayctl: no answer for batches 2–3 (from line 7 of standard input)"))
        #expect(run.err.contains("closed the connection before answering"))
    }

    @Test func timeoutExitsThree() throws {
        let daemon = try FakeDaemon(holdUntil: 2) { request in okReply(request) }
        let run = runCtl(["--socket", daemon.path, "--timeout", "1", "status"])
        #expect(run.exit == .unreachable)
        #expect(run.err.contains("did not answer within 1 s"))
        daemon.stop()
    }

    @Test func answersReadAheadWaitForTheNextExchangeAndWritesNeedNoAnswer() throws {
        // Both answers come in one write, after both requests are in.
        let daemon = try FakeDaemon(holdUntil: 2) { request in okReply(request) }
        try answerTwoRequests(at: daemon.path)
        daemon.stop()
        #expect(daemon.received == [#"{"id":1,"op":"status"}"#, #"{"id":2,"op":"status"}"#])
    }

    private func answerTwoRequests(at path: String) throws {
        let connection = try ClientConnection.connect(to: path, timeoutSeconds: 5)
        // Half a line, then the rest and a second line: writes only.
        try connection.exchange([Array(#"{"id":1,"op":"#.utf8)], expecting: 0) { _, _ in Issue.record("no answer expected") }
        try connection.exchange([Array(#""status"}"#.utf8) + [10], Array(#"{"id":2,"op":"status"}"#.utf8) + [10]], expecting: 0) { _, _ in
            Issue.record("no answer expected")
        }
        usleep(200_000)  // both answers are in the socket: one read takes them
        var first: [String] = []
        try connection.exchange([], expecting: 1) { _, line in first.append(String(decoding: line, as: UTF8.self)) }
        #expect(first == [#"{"id":1,"ok":true}"#])
        // The second answer was read with the first: it is not waited for again.
        var second: [String] = []
        try connection.exchange([], expecting: 1) { _, line in second.append(String(decoding: line, as: UTF8.self)) }
        #expect(second == [#"{"id":2,"ok":true}"#])
    }
}
