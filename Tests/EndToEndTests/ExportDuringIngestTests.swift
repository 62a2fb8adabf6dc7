import FairwayCore
import FairwayProtocol
import Foundation
import Glibc
import Testing

/// `export` reads the history on its own thread and its own read-only
/// connection, not on the state owner: while an export is being read (the
/// debug-only `FAIRWAY_TEST_HISTORY_PAUSE_MS` hook makes it take seconds, so
/// the timing is not a race), lookups are answered and orders are ingested
/// on other connections; and while its large answer sits unread, they still are.
@Suite struct ExportDuringIngestTests {
    @Test func lookupsAndSubmitsAreAnsweredWhileAnExportIsRead() throws {
        let d = try DaemonFixture(environment: ["FAIRWAY_TEST_HISTORY_PAUSE_MS": "4000"])
        let setup = try d.client()
        let total = 6000
        for batch in 0..<3 {
            let orders = (0..<2000).map { k in
                let n = batch * 2000 + k
                return orderJSON("OLD-\(n)", "C-\(n % 300)", units: 1, tier: n % 7 == 0 ? "gold" : nil)
            }
            #expect(try setup.call(submitJSON(orders, id: batch), timeout: 120)["accepted"] == JSON(2000))
        }
        #expect(try setup.call(["op": "complain", "order_id": "OLD-17"]).isOK)
        #expect(try setup.call([
            "op": "capacity", "depot": "main", "from": .string(Timestamp(seconds: Int64(Date().timeIntervalSince1970) + 7200).rfc3339),
            "to": .string(Timestamp(seconds: Int64(Date().timeIntervalSince1970) + 4 * 3600).rfc3339), "capacity": 4,
            "reason": "truck down",
        ]).isOK)
        let expedite = try setup.call(["op": "expedite", "order_id": .string("OLD-\(total - 1)"), "reason": "ward 4"])
        #expect(expedite.isOK, "\(expedite)")

        let exporter = try d.client()
        try exporter.send(["id": 99, "op": "export"])
        usleep(300_000)
        let other = try d.client()
        let lookup = try other.call(["op": "order", "order_id": "OLD-5"], timeout: 10)
        #expect(lookup["order"]?.objectValue?["order_id"] == "OLD-5")
        let more = (0..<500).map { orderJSON("NEW-\($0)", "N-\($0 % 40)", units: 1) }
        #expect(try other.call(submitJSON(more, id: 5), timeout: 10)["accepted"] == JSON(500))
        #expect(try other.call(["op": "order", "order_id": "NEW-499"], timeout: 10).isOK)
        #expect(!exporter.hasData(within: 0), "the export was answered before the lookups and the submit")

        // The export's answer comes (generous bound), and while it lies unread
        // other connections are still answered.
        #expect(exporter.hasData(within: 60), "no export answer within 60 s")
        #expect(try other.call(["op": "order", "order_id": "NEW-7"], timeout: 10).isOK)
        let answer = try exporter.receive(timeout: 60)
        #expect(answer["id"] == JSON(99))
        let events = try #require(answer["events"]?.arrayValue).compactMap(\.objectValue)
        func count(_ kind: String) -> Int { events.filter { $0["event"]?.stringValue == kind }.count }
        // Read after the pause: the orders of the submit made meanwhile are in it too.
        #expect(count("order") == total + 500)
        #expect(count("complaint") == 1 && count("capacity") == 1 && count("expedite") == 1)
        let first = try #require(events.first)
        #expect(first["order_id"] == "OLD-0" && first["at_ms"]?.intValue != nil && first["cleared_at"] != nil)
        #expect(events.first { $0["event"] == "expedite" }?["reason"] == "ward 4")
        #expect(events.first { $0["event"] == "capacity" }?["capacity"] == JSON(4))
    }
}
