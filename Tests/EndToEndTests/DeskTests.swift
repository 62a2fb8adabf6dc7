import FairwayProtocol
import Foundation
import Testing

/// The day's execution with `fairwayctl` on the real daemon: a slot's
/// manifest, and a day's outcomes recorded from a file.
@Suite struct DeskTests {
    /// Day slots of 10 units, one promised day.
    static let config = DryRunTests.config

    /// Six orders promised for the next day (two with notes and a deadline),
    /// four projected for the day after.
    func load(_ d: DaemonFixture) throws {
        let cleared: JSON = .string(ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600)))
        var orders = (0..<10).map { orderJSON("SO-\($0)", "C-\($0)", units: 2, extra: [("cleared_at", cleared)]) }
        orders[1] = orderJSON("SO-1", "C-1", units: 2, extra: [
            ("notes", "ring twice, then \"wait\""), ("deadline", "2030-01-01T00:00:00Z"), ("cleared_at", cleared),
        ])
        #expect(try d.client().call(submitJSON(orders)).isOK)
    }

    @Test func theManifestListsTheNextSlotInLoadingOrder() throws {
        let d = try DaemonFixture(config: Self.config)
        try load(d)
        let slot = try d.client().call(["op": "schedule"])["slots"]!.arrayValue![0].objectValue!
        let loading = slot["orders"]!.arrayValue!.map { $0.stringValue! }
        #expect(loading.count == 5)

        var (status, out, err) = try runCtl(d, ["manifest", "main"])
        #expect(status == 0, "\(err)")
        #expect(out.contains("5 orders, 10/10 units, promised"), "\(out)")
        let rows = out.split(separator: "\n").filter { $0.contains("SO-") }
        #expect(rows.map { String($0.split(separator: " ", omittingEmptySubsequences: true)[1]) } == loading, "\(out)")
        #expect(out.contains("ring twice"), "\(out)")
        #expect(out.contains("2030-01-01 00:00"), "\(out)")

        (status, out, err) = try runCtl(d, ["manifest", "main", "--csv"])
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n")
        #expect(lines.first == "position,order_id,customer_id,units,state,deadline,notes")
        #expect(lines.dropFirst().map { String($0.split(separator: ",")[1]) } == loading)
        #expect(out.contains("2,SO-1,C-1,2,promised,2030-01-01T00:00:00Z,\"ring twice, then \"\"wait\"\"\"\n"), "\(out)")

        // The day after holds the projected rest; a day with nothing says so.
        let next = try #require(slot["end"]?.stringValue)
        (status, out, err) = try runCtl(d, ["manifest", "main", "--slot", next])
        #expect(status == 0, "\(err)")
        #expect(out.contains("5 orders") && out.contains("projected"), "\(out)")
        (status, out, err) = try runCtl(d, ["manifest", "main", "--slot", "2031-01-01"])
        #expect(status == 0, "\(err)")
        #expect(out.contains("no orders"), "\(out)")
        (status, _, err) = try runCtl(d, ["manifest", "north"])
        #expect(status == 1)
        #expect(err.contains("not_found") && err.contains("main"), "\(err)")
        (status, _, _) = try runCtl(d, ["manifest"])
        #expect(status == 2)
    }

    @Test func aDaysDeliveriesFromAFileRecordEachGoodRowAndNameEachBadOne() throws {
        let d = try DaemonFixture(config: Self.config)
        try load(d)
        let file = d.dir.path + "/delivered.csv"
        let earlier = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60))
        try """
            order_id,at
            SO-0,
            SO-2,\(earlier)
            NOPE-1,
            SO-3,yesterday
            SO-0,

            """.write(toFile: file, atomically: true, encoding: .utf8)
        var (status, out, err) = try runCtl(d, ["deliver", "--file", file])
        #expect(status == 1)
        #expect(out.contains("Recorded 2 of 5 deliveries"), "\(out)")
        #expect(err.contains("3 rows refused"), "\(err)")
        #expect(err.contains("line 4 (NOPE-1): not_found"), "\(err)")
        #expect(err.contains("line 5 (SO-3): at:"), "\(err)")
        #expect(err.contains("line 6 (SO-0): conflict"), "\(err)")
        let c = try d.client()
        for id in ["SO-0", "SO-2"] { #expect(try c.call(["op": "order", "order_id": .string(id)])["order"]!.objectValue!["state"] == "delivered") }
        #expect(try c.call(["op": "order", "order_id": "SO-2"])["order"]!.objectValue!["delivered_at"]?.stringValue == earlier)
        #expect(try c.call(["op": "order", "order_id": "SO-3"])["order"]!.objectValue!["state"] == "committed")

        // fail: without a header, columns in their order; one retried for an
        // absent customer, one failed for good, two refused.
        let failed = d.dir.path + "/failed.csv"
        try "SO-4,,customer_absent,nobody home,yes\nSO-3,,damaged,box crushed\nSO-5\nSO-6,,lost in space\n"
            .write(toFile: failed, atomically: true, encoding: .utf8)
        (status, out, err) = try runCtl(d, ["fail", "--file", failed])
        #expect(status == 1)
        #expect(out.contains("Recorded 2 of 4 failed attempts"), "\(out)")
        #expect(err.contains("line 3 (SO-5): reason: missing"), "\(err)")
        #expect(err.contains("line 4 (SO-6): invalid_argument") && err.contains("customer_absent"), "\(err)")
        let retried = try c.call(["op": "order", "order_id": "SO-4"])["order"]!.objectValue!
        #expect(retried["state"] != "failed", "\(retried)")
        #expect(retried["attempts"]?.arrayValue?.first?.objectValue?["note"] == "nobody home", "\(retried)")
        #expect(try c.call(["op": "order", "order_id": "SO-3"])["order"]!.objectValue!["fail_reason"] == "damaged")
        (status, _, err) = try runCtl(d, ["deliver", "SO-6", "--file", file])
        #expect(status == 2, "\(err)")

        // All good: exit 0.
        let good = d.dir.path + "/good.csv"
        try "order_id\nSO-6\nSO-7\n".write(toFile: good, atomically: true, encoding: .utf8)
        (status, out, err) = try runCtl(d, ["deliver", "--file", good])
        #expect(status == 0, "\(err)")
        #expect(out.contains("Recorded 2 of 2 deliveries"), "\(out)")
    }
}
