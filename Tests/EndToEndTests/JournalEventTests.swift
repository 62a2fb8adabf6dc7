import FairwayProtocol
import Foundation
import Glibc
import Testing

/// With `log = journal` (or `auto` with a journal reachable) every state
/// change is one journal entry with the contract's fields, read back from a
/// real journald with `journalctl -o json`.
@Suite(.serialized) struct JournalEventTests {
    /// Order ids unique to this run: the journal outlives the test.
    static func uniqueID(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8))" }

    @Test(.enabled(if: JournaldFixture.canRun, "needs root and systemd-journald"))
    func everyStateChangeIsOneEntryWithTheContractFields() throws {
        let journald = try JournaldFixture.start()
        defer { journald.stop() }
        let d = try DaemonFixture(start: false)
        try d.writeConfig(log: "journal")
        try d.start()
        let pid = try #require(d.process?.pid)
        let orderID = Self.uniqueID("SO")
        let customerID = Self.uniqueID("C")

        let c = try d.client()
        let submitted = try c.call(submitJSON([orderJSON(orderID, customerID, tier: "gold")]))
        let slot = try #require(submitted["results"]?.arrayValue?.first?.objectValue?["slot_start"]?.stringValue)
        #expect(try c.call(["op": "complain", "order_id": .string(orderID), "channel": "phone"]).isOK)
        #expect(try c.call(["op": "deliver", "order_id": .string(orderID)]).isOK)

        let entries = try JournaldFixture.entries(matching: "ORDER_ID=\(orderID)", atLeast: 4)
        #expect(entries.compactMap { $0["FAIRWAY_EVENT"] }.sorted() == ["committed", "complaint", "delivered", "ingested"], "\(entries)")
        for e in entries {
            let event = e["FAIRWAY_EVENT"] ?? "?"
            #expect(e["MESSAGE"]?.contains(orderID) == true, "\(event): \(e)")
            #expect(e["PRIORITY"] == "6", "\(event): per-order events are info")
            #expect(e["SYSLOG_IDENTIFIER"] == "fairwayd")
            #expect(e["CUSTOMER_ID"] == customerID)
            #expect(e["DEPOT"] == "main")
            #expect(e["_PID"] == String(pid))
            #expect(e["FAIRWAY_ACTOR"]?.hasPrefix("uid=") == true)
            // The call site, not the logger itself.
            #expect(e["CODE_FILE"]?.hasSuffix("StateOwner.swift") == true, "\(e["CODE_FILE"] ?? "")")
            #expect(e["CODE_LINE"].flatMap { Int($0) } != nil)
            #expect(e["CODE_FUNC"]?.isEmpty == false)
            if event != "ingested" {
                #expect(e["SLOT_START"] == slot, "\(event): \(e)")
            }
        }
        #expect(!d.stderr().contains(orderID), "with log = journal nothing goes to stderr")

        // Daemon events too: started, reload, stopping.
        #expect(try !JournaldFixture.entries(matching: "_PID=\(pid)", "FAIRWAY_EVENT=started").isEmpty)
        d.signal(SIGHUP)
        let reload = try JournaldFixture.entries(matching: "_PID=\(pid)", "FAIRWAY_EVENT=reload")
        #expect(reload.first?["MESSAGE"] == "configuration reloaded", "\(reload)")
        #expect(d.stop() == 0)
        let stopping = try JournaldFixture.entries(matching: "_PID=\(pid)", "FAIRWAY_EVENT=stopping")
        #expect(stopping.first?["MESSAGE"]?.contains("SIGTERM") == true, "\(stopping)")
    }

    @Test(.enabled(if: JournaldFixture.canRun, "needs root and systemd-journald"))
    func aClumpsAcceptancesShareEntriesAndEveryOrderIsFound() throws {
        let journald = try JournaldFixture.start()
        defer { journald.stop() }
        let d = try DaemonFixture(start: false)
        try d.writeConfig(log: "journal")
        try d.start()
        let prefix = Self.uniqueID("B")
        let ids = (0..<300).map { "\(prefix)-\($0)" }
        #expect(try d.client().call(submitJSON(ids.map { orderJSON($0, "C-\($0.suffix(1))") }))["accepted"] == JSON(300))
        for id in [ids[0], ids[149], ids[299]] {
            let entries = try JournaldFixture.entries(matching: "ORDER_ID=\(id)", "FAIRWAY_EVENT=ingested")
            #expect(entries.count == 1, "\(id): \(entries.count) entries")
            #expect(entries.first?["SYSLOG_IDENTIFIER"] == "fairwayd")
        }
        // 300 acceptances in entries of at most 250 orders: two entries, not 300.
        let first = try JournaldFixture.entries(matching: "ORDER_ID=\(ids[0])", "FAIRWAY_EVENT=ingested")
        let last = try JournaldFixture.entries(matching: "ORDER_ID=\(ids[299])", "FAIRWAY_EVENT=ingested")
        #expect(first.first?["MESSAGE"] != last.first?["MESSAGE"])
        #expect(first.first?["MESSAGE"]?.contains("250 orders accepted") == true, "\(first)")
        #expect(d.stop() == 0)
    }

    @Test(.enabled(if: JournaldFixture.canRun, "needs root and systemd-journald"))
    func logAutoUsesTheJournalWhenItIsReachable() throws {
        let journald = try JournaldFixture.start()
        defer { journald.stop() }
        let d = try DaemonFixture(start: false)
        try d.writeConfig(log: "auto")
        try d.start()
        let orderID = Self.uniqueID("SA")
        #expect(try d.client().call(submitJSON([orderJSON(orderID, "C-auto")]))["accepted"] == JSON(1))
        let entries = try JournaldFixture.entries(matching: "ORDER_ID=\(orderID)", atLeast: 2)
        #expect(entries.compactMap { $0["FAIRWAY_EVENT"] }.sorted() == ["committed", "ingested"])
        #expect(!d.stderr().contains(orderID))
        #expect(d.stop() == 0)
    }
}
