import FairwayProtocol
import Foundation
import Glibc
import Testing

/// `expedite` and `expedites` on the real daemon: each answer and error, the
/// budget, dry runs that change nothing, the ledger and the order fields
/// across `kill -9`, the journal entry.
@Suite(.serialized) struct ExpediteDaemonTests {
    /// Day slots of 10 units, one promised day, 2 expedited units per slot.
    static let config = DryRunTests.config.replacingOccurrences(
        of: "lead-slots = 1", with: "lead-slots = 1\nexpedite-budget = 20")

    /// 10 promised orders (C-0..9), then S-0..24 queued in the three days after.
    func load(_ c: Client) throws {
        #expect(try c.call(submitJSON((0..<10).map { orderJSON("C-\($0)", "C-\($0)") })).isOK)
        #expect(try c.call(submitJSON((0..<25).map { orderJSON("S-\($0)", "S-\($0)") })).isOK)
    }

    func expedite(_ c: Client, _ id: String, reason: JSON = "ward 4 is out of stock", dryRun: Bool? = nil) throws -> JSONObject {
        var o = JSONObject()
        o.append("op", "expedite")
        o.append("order_id", .string(id))
        o.append("reason", reason)
        if let dryRun { o.append("dry_run", .bool(dryRun)) }
        return try c.call(.object(o))
    }

    func order(_ c: Client, _ id: String) throws -> JSONObject {
        try #require(try c.call(["op": "order", "order_id": .string(id)])["order"]?.objectValue)
    }

    /// What can be seen of the state: counts, slots, the queue, the ledger.
    func picture(_ c: Client) throws -> [JSON] {
        var status = try c.call(["op": "status"])
        status["id"] = nil
        status["started_at"] = nil
        return [
            .object(status), .object(try c.call(["op": "schedule"])), .object(try c.call(["op": "queue", "limit": 100])),
            .object(try c.call(["op": "expedites"])),
        ]
    }

    @Test func anExpediteTakesTheFirstSlotWithBudgetListsWhomItDisplacedAndSurvivesKill9() throws {
        let d = try DaemonFixture(config: Self.config)
        let c = try d.client()
        try load(c)
        let days = try c.call(["op": "schedule"])["slots"]!.arrayValue!.map { $0.objectValue!["start"]!.stringValue! }
        #expect(days.count == 4)  // the promised day, then S-0..9, S-10..19, S-20..24

        // A dry run answers what the expedite would, and changes nothing.
        let before = try picture(c)
        let dry = try expedite(c, "S-24", dryRun: true)
        #expect(dry.isOK, "\(dry)")
        #expect(dry["dry_run"] == .bool(true))
        #expect(try picture(c) == before)

        let first = try expedite(c, "S-24")
        #expect(first.isOK, "\(first)")
        #expect(first["dry_run"] == .bool(false))
        for key in ["order", "displaced", "displaced_count", "slot"] { #expect(first[key] == dry[key], "\(key)") }
        let moved = try #require(first["order"]?.objectValue)
        #expect(moved["expedited"] == .bool(true))
        #expect(moved["position"] == JSON(0))
        #expect(moved["slot_start"]?.stringValue == days[1])
        // The last of each of the two days ahead moves one day later.
        #expect(first["displaced_count"] == JSON(2))
        let displaced = first["displaced"]!.arrayValue!.map { $0.objectValue! }
        #expect(displaced.map { $0["order_id"]!.stringValue! } == ["S-9", "S-19"])
        #expect(displaced[0]["from_slot"]?.stringValue == days[1] && displaced[0]["to_slot"]?.stringValue == days[2])
        let slot = try #require(first["slot"]?.objectValue)
        #expect(slot["budget_units"] == JSON(2) && slot["expedited_units"] == JSON(1) && slot["budget_left"] == JSON(1))
        #expect(try order(c, "S-9")["displaced"] == JSON(1))
        #expect(try order(c, "S-8")["displaced"] == JSON(0))

        // Budget: the second fits the same day, the third and fourth the next, the fifth nothing earlier.
        #expect(try expedite(c, "S-23")["order"]?.objectValue?["slot_start"]?.stringValue == days[1])
        #expect(try expedite(c, "S-22")["order"]?.objectValue?["slot_start"]?.stringValue == days[2])
        #expect(try expedite(c, "S-21")["order"]?.objectValue?["slot_start"]?.stringValue == days[2])
        let over = try expedite(c, "S-20")
        #expect(over.errorCode == "over_budget", "\(over)")
        #expect(over.errorMessage.contains("expedite-budget"), "\(over.errorMessage)")
        #expect(try expedite(c, "S-20", dryRun: true).errorCode == "over_budget")

        // The other errors, each changing nothing.
        let steady = try picture(c)
        #expect(try expedite(c, "C-0").errorCode == "conflict")
        #expect(try expedite(c, "NOPE").errorCode == "not_found")
        #expect(try expedite(c, "S-5", reason: "").errorCode == "invalid_argument")
        #expect(try expedite(c, "S-5", reason: .string(String(repeating: "x", count: 4097))).errorCode == "invalid_argument")
        #expect(try expedite(c, "S-5", reason: 7).errorCode == "invalid_argument")
        let noReason = try c.call(["op": "expedite", "order_id": "S-5"])
        #expect(noReason.errorCode == "invalid_argument" && noReason.errorMessage.contains("reason"))
        #expect(try c.call(["op": "expedite", "order_id": "S-5", "reason": "x", "dry_run": "no"]).errorCode == "invalid_argument")
        #expect(try c.call(["op": "expedites", "from": "yesterday"]).errorCode == "invalid_argument")
        #expect(try picture(c) == steady)

        // The ledger: who, when, why, the slot, how many displaced; oldest first.
        let ledger = try c.call(["op": "expedites"])["expedites"]!.arrayValue!.map { $0.objectValue! }
        #expect(ledger.map { $0["order_id"]!.stringValue! } == ["S-24", "S-23", "S-22", "S-21"])
        #expect(ledger[0]["reason"] == "ward 4 is out of stock")
        #expect(ledger[0]["actor"]?.stringValue?.hasPrefix("uid=") == true)
        #expect(ledger[0]["displaced_count"] == JSON(2))
        #expect(ledger[0]["slot_start"]?.stringValue == days[1])
        #expect(try c.call(["op": "expedites", "from": "2000-01-01T00:00:00Z", "to": "2001-01-01T00:00:00Z"])["expedites"] == .array([]))

        // kill -9 and restart: the same ledger, order fields and places.
        let kept = try picture(c)
        let fields = try ["S-24", "S-23", "S-22", "S-9", "S-19"].map { try order(c, $0) }
        d.kill9()
        try d.start()
        let c2 = try d.client()
        #expect(try picture(c2) == kept)
        #expect(try ["S-24", "S-23", "S-22", "S-9", "S-19"].map { try order(c2, $0) } == fields)
        // And the budget still holds after the restart.
        #expect(try expedite(c2, "S-20").errorCode == "over_budget")
    }

    @Test func aReaderMayAskADryRunAndTheLedgerButNotExpedite() throws {
        guard getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
        let d = try DaemonFixture(config: Self.config + "\n[access]\nreaders = *\n", extraDaemon: "socket-mode = 0666")
        chmod(d.dir.path, 0o755)
        try load(try d.client())
        var (status, out, err) = try runCtl(d, ["expedite", "S-24", "--reason", "hospital", "--dry-run"], asNobody: true)
        #expect(status == 0, "\(err)")
        #expect(out.contains("Dry run") && out.contains("S-9") && out.contains("1 left"), "\(out)")
        (status, _, err) = try runCtl(d, ["expedite", "S-24", "--reason", "hospital"], asNobody: true)
        #expect(status == 1 && err.contains("forbidden"), "\(err)")
        (status, out, err) = try runCtl(d, ["expedite", "S-24", "--reason", "hospital"])
        #expect(status == 0, "\(err)")
        #expect(out.contains("expedited") && out.contains("S-19"), "\(out)")
        (status, out, err) = try runCtl(d, ["expedites"], asNobody: true)
        #expect(status == 0, "\(err)")
        #expect(out.contains("S-24") && out.contains("hospital"), "\(out)")
        (status, _, err) = try runCtl(d, ["expedite", "S-23"])
        #expect(status == 2, "--reason is required: \(err)")
    }

    @Test(.enabled(if: JournaldFixture.canRun, "needs root and systemd-journald"))
    func anExpediteIsAJournalEntry() throws {
        let journald = try JournaldFixture.start()
        defer { journald.stop() }
        let d = try DaemonFixture(start: false)
        try d.writeConfig(log: "journal", Self.config)
        try d.start()
        let c = try d.client()
        let prefix = JournalEventTests.uniqueID("EX")
        #expect(try c.call(submitJSON((0..<10).map { orderJSON("\(prefix)-C\($0)", "C-\($0)") })).isOK)
        #expect(try c.call(submitJSON((0..<15).map { orderJSON("\(prefix)-S\($0)", "S-\($0)") })).isOK)
        let id = "\(prefix)-S14"
        let answer = try expedite(c, id, dryRun: true)
        #expect(answer.isOK)
        #expect(try expedite(c, id).isOK)
        let entries = try JournaldFixture.entries(matching: "ORDER_ID=\(id)", "FAIRWAY_EVENT=expedited")
        #expect(entries.count == 1, "one entry, none for the dry run: \(entries)")
        let e = try #require(entries.first)
        #expect(e["SLOT_START"] == answer["order"]?.objectValue?["slot_start"]?.stringValue)
        #expect(e["DEPOT"] == "main")
        #expect(e["FAIRWAY_ACTOR"]?.hasPrefix("uid=") == true)
        #expect(e["MESSAGE"]?.contains("ward 4 is out of stock") == true, "\(e)")
        #expect(d.stop() == 0)
    }
}
