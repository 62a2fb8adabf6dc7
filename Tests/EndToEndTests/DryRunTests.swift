import FairwayProtocol
import Foundation
import Glibc
import Testing

/// `submit` with `dry_run` on the real daemon: the same answer as the real
/// submit, whom it would push later, and nothing stored, logged or changed.
@Suite struct DryRunTests {
    /// Day slots, so that the clock does not enter a new slot mid-test but at midnight.
    static let config = """
        [scheduling]
        default-depot = main
        default-tier = standard
        commit-horizon = 1
        lead-slots = 1
        [tier.gold]
        weight = 8
        [tier.standard]
        weight = 2
        [depot.main]
        slot-length = 1d
        capacity = 10
        """

    /// 10 committed orders, then 20 queued in the two days after the horizon.
    func load(_ c: Client) throws {
        #expect(try c.call(submitJSON((0..<10).map { orderJSON("C-\($0)", "C-\($0)") })).isOK)
        #expect(try c.call(submitJSON((0..<20).map { orderJSON("S-\($0)", "S-\($0)") })).isOK)
    }

    /// What a desk can see: every slot with its orders and the counts.
    func picture(_ c: Client) throws -> [JSON] {
        var status = try c.call(["op": "status"])
        status["id"] = nil
        status["started_at"] = nil
        return [.object(status), .object(try c.call(["op": "schedule"])), .object(try c.call(["op": "queue", "limit": 100]))]
    }

    static let gold = (0..<5).map { orderJSON("G-\($0)", "G-\($0)", tier: "gold") }

    @Test func aDryRunAnswersAsTheRealSubmitAndChangesNothing() throws {
        let d = try DaemonFixture(config: Self.config)
        let c = try d.client()
        try load(c)
        let before = try picture(c)
        var object = try #require(submitJSON(Self.gold, id: 9).objectValue)
        object["dry_run"] = .bool(true)
        let dry = try c.call(.object(object))
        #expect(dry.isOK, "\(dry)")
        #expect(dry["id"] == JSON(9))
        #expect(dry["dry_run"] == .bool(true))
        #expect(dry["accepted"] == JSON(5))
        #expect(dry["duplicates"] == JSON(0))
        // Gold goes ahead of the 20 waiting standard orders: S-5..9 and
        // S-15..19 would move one day later.
        #expect(dry["displaced_count"] == JSON(10))
        let displaced = dry["displaced"]!.arrayValue!.map { $0.objectValue! }
        #expect(displaced.map { $0["order_id"]!.stringValue! } == (5..<10).map { "S-\($0)" } + (15..<20).map { "S-\($0)" })
        for o in displaced {
            let f = try #require(ISO8601DateFormatter().date(from: o["from_slot"]!.stringValue!))
            let t = try #require(ISO8601DateFormatter().date(from: o["to_slot"]!.stringValue!))
            #expect(t.timeIntervalSince(f) == 86_400)
        }
        let tiers = dry["by_tier"]!.arrayValue!.map { $0.objectValue! }
        #expect(tiers.map { $0["tier"]!.stringValue! } == ["gold", "standard"])
        #expect(tiers[0]["queued"] == JSON(5))
        #expect(tiers[1]["displaced"] == JSON(10))
        #expect(tiers[1]["delay_max_s"] == JSON(86_400))

        // Nothing changed, and nothing was stored: not even after kill -9.
        #expect(try picture(c) == before)
        #expect(try c.call(["op": "order", "order_id": "G-0"]).errorCode == "not_found")
        d.kill9()
        try d.start()
        let c2 = try d.client()
        #expect(try c2.call(["op": "order", "order_id": "G-0"]).errorCode == "not_found")
        #expect(try picture(c2) == before)
        #expect(!d.stderr().contains("G-0"))

        // The real submit answers the same results.
        let real = try c2.call(submitJSON(Self.gold, id: 9))
        #expect(real["results"] == dry["results"])
        #expect(real["accepted"] == dry["accepted"])
        // And now each would be a duplicate, with nothing pushed later.
        let again = try c2.call(.object(object))
        #expect(again["duplicates"] == JSON(5))
        #expect(again["displaced_count"] == JSON(0))
    }

    @Test func aDryRunRefusesWhatTheRealSubmitRefuses() throws {
        let d = try DaemonFixture(config: Self.config)
        let c = try d.client()
        try load(c)
        let before = try picture(c)
        let bad = try c.call([
            "op": "submit", "dry_run": true, "orders": .array([orderJSON("X-1", "X", units: 11), orderJSON("C-1", "other")]),
        ])
        #expect(bad.errorCode == "invalid_argument")
        #expect(bad.errorMessage.contains("orders[0]"))
        let conflict = try c.call(["op": "submit", "dry_run": true, "orders": .array([orderJSON("C-1", "other")])])
        #expect(conflict.errorCode == "conflict")
        let notBool = try c.call(["op": "submit", "dry_run": "yes", "orders": .array(Self.gold)])
        #expect(notBool.errorCode == "invalid_argument")
        #expect(notBool.errorMessage.contains("dry_run"))
        #expect(try picture(c) == before)
    }

    @Test func fairwayctlSaysWhatAFileWouldDo() throws {
        let d = try DaemonFixture(config: Self.config)
        try load(try d.client())
        let before = try picture(try d.client())
        let csv = d.dir.path + "/clump.csv"
        try ("order_id,customer_id,tier\n" + (0..<5).map { "G-\($0),G-\($0),gold\n" }.joined())
            .write(toFile: csv, atomically: true, encoding: .utf8)
        var (status, out, err) = try runCtl(d, ["submit", "--dry-run", csv])
        #expect(status == 0, "\(err)")
        #expect(out.contains("nothing was stored"), "\(out)")
        #expect(out.contains("5 accepted"), "\(out)")
        #expect(out.contains("0 committed, 5 queued"), "\(out)")
        #expect(out.contains("10 orders already waiting would move later"), "\(out)")
        #expect(out.contains("standard"), "\(out)")
        (status, out, err) = try runCtl(d, ["submit", "--dry-run", "--orders", csv])
        #expect(status == 0, "\(err)")
        #expect(out.contains("G-4"), "\(out)")
        #expect(out.contains("S-19"), "\(out)")
        #expect(!out.contains("S-10"), "S-10 keeps its day: \(out)")
        (status, _, err) = try runCtl(d, ["submit", "--orders", csv])
        #expect(status == 2, "\(err)")
        #expect(try picture(try d.client()) == before)
        // Any reader may ask it.
        if getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
            let reader = try DaemonFixture(config: Self.config + "\n[access]\nreaders = *\n", extraDaemon: "socket-mode = 0666")
            chmod(reader.dir.path, 0o755)
            let open = reader.dir.path + "/clump.csv"
            try String(contentsOfFile: csv, encoding: .utf8).write(toFile: open, atomically: true, encoding: .utf8)
            chmod(open, 0o644)
            (status, out, err) = try runCtl(reader, ["submit", "--dry-run", open], asNobody: true)
            #expect(status == 0, "\(err)")
            #expect(out.contains("5 accepted"), "\(out)")
            (status, _, err) = try runCtl(reader, ["submit", open], asNobody: true)
            #expect(status == 1)
            #expect(err.contains("forbidden"), "\(err)")
        }
    }
}

/// Runs fairwayctl against the fixture's daemon (as uid 65534, nobody, with
/// `asNobody`); returns (exit status, stdout, stderr).
func runCtl(_ d: DaemonFixture, _ args: [String], asNobody: Bool = false) throws -> (Int32, String, String) {
    let out = d.dir.path + "/ctl.out", err = d.dir.path + "/ctl.err"
    let ctl = binaryDirectory() + "/fairwayctl"
    let command = asNobody ? "/usr/bin/setpriv" : ctl
    let prefix = asNobody ? ["--reuid=65534", "--regid=65534", "--clear-groups", ctl] : []
    let p = try ChildProcess.spawn(
        command, arguments: prefix + ["--socket", d.socketPath] + args,
        environment: ProcessInfo.processInfo.environment, stderrPath: err, stdoutPath: out)
    let status = p.wait()
    let o = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    let e = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
    return (status, o, e)
}
