import FairwayProtocol
import Foundation
import Testing

/// `fairwayctl` against the real daemon, as a person on the desk would use it.
@Suite struct CommandLineTests {
    /// Runs fairwayctl; returns (exit status, stdout, stderr).
    func ctl(_ d: DaemonFixture, _ args: [String], stdin: String? = nil) throws -> (Int32, String, String) {
        let out = d.dir.path + "/ctl.out", err = d.dir.path + "/ctl.err"
        var stdinPath: String?
        if let stdin {
            stdinPath = d.dir.path + "/ctl.in"
            try stdin.write(toFile: stdinPath!, atomically: true, encoding: .utf8)
        }
        let p = try ChildProcess.spawn(
            binaryDirectory() + "/fairwayctl", arguments: ["--socket", d.socketPath] + args,
            environment: ProcessInfo.processInfo.environment, stderrPath: err, stdoutPath: out, stdinPath: stdinPath)
        let status = p.wait()
        let o = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let e = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: err)
        return (status, o, e)
    }

    static let localConfig: String = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/local.conf").path
        let text = try! String(contentsOfFile: path, encoding: .utf8)
        // Everything after [daemon]'s keys: the scheduling, tiers and depots of `make run`.
        return String(text[text.range(of: "[scheduling]")!.lowerBound...])
    }()

    @Test func theTourOfTheReadmeWorks() throws {
        let d = try DaemonFixture(config: Self.localConfig)
        // The sample clump, dated from today as the README does it.
        var (status, out, err) = try ctl(d, ["sample"])
        #expect(status == 0, "\(err)")
        let sample = d.dir.path + "/sample-clump.csv"
        try out.write(toFile: sample, atomically: true, encoding: .utf8)
        (status, out, err) = try ctl(d, ["submit", sample])
        #expect(status == 0, "\(err)")
        #expect(out.contains("300 accepted"))
        // Levelled, never over capacity, everyone placed, high tiers first.
        let slots = try d.client().call(["op": "schedule"])["slots"]!.arrayValue!.map { $0.objectValue! }
        #expect(slots.allSatisfy { $0["used"]!.intValue! <= $0["capacity"]!.intValue! })
        #expect(slots.reduce(0) { $0 + $1["orders"]!.arrayValue!.count } == 300)
        // Dated from today: the orders with a deadline are not all at risk (with fixed dates, on a later day, they were).
        var withDeadline = 0
        var atRisk = 0
        for i in 0..<300 {
            let order = try d.client().call(["op": "order", "order_id": .string("SO-\(240_001 + i)")])["order"]!.objectValue!
            if order["deadline"] != JSON.null { withDeadline += 1 }
            if order["at_risk"] == JSON(true) { atRisk += 1 }
        }
        #expect(withDeadline > 10 && atRisk < withDeadline, "\(atRisk) of \(withDeadline) orders with a deadline at risk")
        (status, out, _) = try ctl(d, ["schedule"])
        #expect(status == 0)
        #expect(out.contains("/40"))
        (status, out, _) = try ctl(d, ["order", "SO-240001"])
        #expect(status == 0)
        #expect(out.contains("SO-240001"))
        let before = try d.client().call(["op": "order", "order_id": "SO-240001"])["order"]!
        (status, out, _) = try ctl(d, ["complain", "SO-240001", "--channel", "phone", "--note", "where is my delivery?"])
        #expect(status == 0)
        var after = try d.client().call(["op": "order", "order_id": "SO-240001"])["order"]!.objectValue!
        #expect(after["complaints"] == JSON(1))
        after["complaints"] = before.objectValue!["complaints"]
        #expect(JSON.object(after) == before)
        (status, out, _) = try ctl(d, ["--json", "status"])
        #expect(status == 0)
        #expect(out.contains("\"ok\":true"))
        // Re-submitting the clump changes nothing.
        (status, out, _) = try ctl(d, ["submit", sample])
        #expect(out.contains("300 duplicates"))
    }

    @Test func exitStatusesFollowTheContract() throws {
        let d = try DaemonFixture()
        #expect(try ctl(d, ["order", "nope"]).0 == 1)
        #expect(try ctl(d, ["frobnicate"]).0 == 2)
        #expect(try ctl(d, ["order"]).0 == 2)
        let csv = "order_id,customer_id,units,tier\nX-1,C-1,2,gold\nX-2,C-2,,\n"
        let (status, out, err) = try ctl(d, ["submit", "-", "--format", "csv"], stdin: csv)
        #expect(status == 0, "\(out) \(err)")
        #expect(try d.client().call(["op": "order", "order_id": "X-2"])["order"]!.objectValue!["units"] == JSON(1))
        // A file that is not there is not a usage error.
        let missing = try ctl(d, ["submit", d.dir.path + "/no-such-file.csv"])
        #expect(missing.0 == 1 && missing.2.contains("No such file or directory; nothing was sent"), "\(missing.2)")
        d.stop()
        #expect(try ctl(d, ["status"]).0 == 3)
        // With --json, a daemon that cannot be reached is a JSON error object on standard output.
        let (unreachable, answer, hint) = try ctl(d, ["--json", "status"])
        #expect(unreachable == 3)
        let error = try JSONParser.parse(Array(answer.utf8.dropLast())).objectValue?["error"]?.objectValue
        #expect(error?["code"] == JSON("unreachable"))
        #expect(error?["message"]?.stringValue?.contains(d.socketPath) == true)
        #expect(hint.contains("systemctl status fairway"))
    }
}
