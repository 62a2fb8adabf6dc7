import FairwayProtocol
import Foundation
import Testing

/// Moved promises and retries in a real journald.
@Suite(.serialized) struct PromiseJournalTests {
    @Test(.enabled(if: JournaldFixture.canRun, "needs root and systemd-journald"))
    func eachMovedPromiseIsAJournalEntryWithItsOldAndNewSlot() throws {
        let journald = try JournaldFixture.start()
        defer { journald.stop() }
        let d = try DaemonFixture(start: false)
        try d.writeConfig(log: "journal")
        try d.start()
        let c = try d.client()
        let prefix = JournalEventTests.uniqueID("PM")
        let ids = (0..<10).map { "\(prefix)-\($0)" }
        #expect(try c.call(submitJSON(ids.map { orderJSON($0, "C-\($0)") }))["accepted"] == JSON(10))
        let first = try PromiseOperationsTests.firstSlot(c)
        let answer = try c.call([
            "op": "capacity", "depot": "main", "from": .string(first), "to": .string(PromiseOperationsTests.after(first, hours: 1)),
            "capacity": 8, "reason": "truck 3 in repair",
        ])
        let moved = try #require(answer["moved"]?.arrayValue).map { $0.objectValue! }
        #expect(moved.count == 2)
        for m in moved {
            let id = m["order_id"]!.stringValue!
            let entries = try JournaldFixture.entries(matching: "ORDER_ID=\(id)", "FAIRWAY_EVENT=promise_moved")
            #expect(entries.count == 1, "\(id): \(entries)")
            let e = try #require(entries.first)
            #expect(e["SLOT_START"] == m["to_slot"]!.stringValue!)
            #expect(e["FAIRWAY_FROM_SLOT"] == first)
            #expect(e["DEPOT"] == "main")
            #expect(e["SYSLOG_IDENTIFIER"] == "fairwayd")
            #expect(e["FAIRWAY_ACTOR"]?.hasPrefix("uid=") == true)
            #expect(e["MESSAGE"]?.contains("truck 3 in repair") == true)
        }
        let pid = try #require(d.process?.pid)
        let change = try JournaldFixture.entries(matching: "_PID=\(pid)", "FAIRWAY_EVENT=capacity")
        #expect(change.first?["MESSAGE"]?.contains("2 promises moved") == true, "\(change)")
        // A retry is an entry of its own.
        let retried = ids.first { id in !moved.contains { $0["order_id"]!.stringValue! == id } }!
        #expect(try c.call(["op": "fail", "order_id": .string(retried), "reason": "customer_absent", "retry": true]).isOK)
        #expect(try JournaldFixture.entries(matching: "ORDER_ID=\(retried)", "FAIRWAY_EVENT=retried").count == 1)
        #expect(d.stop() == 0)
    }
}
