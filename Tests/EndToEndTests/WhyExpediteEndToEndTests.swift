import FairwayProtocol
import Foundation
import Testing

/// `why`'s `expedite` on the real daemon: what `expedite` with `dry_run`
/// answers, or null where it answers `over_budget`.
@Suite struct WhyExpediteEndToEndTests {
    @Test func whyOffersWhatADryRunExpediteWouldDo() throws {
        // Day slots of 10 units, one promised day, 2 expedited units per slot.
        let d = try DaemonFixture(config: ExpediteDaemonTests.config)
        let c = try d.client()
        #expect(try c.call(submitJSON((0..<10).map { orderJSON("C-\($0)", "C-\($0)") })).isOK)
        #expect(try c.call(submitJSON((0..<25).map { orderJSON("S-\($0)", "S-\($0)") } + [orderJSON("BIG", "B", units: 3)])).isOK)
        for id in ["S-24", "S-12"] {
            let why = try #require(try c.call(["op": "why", "order_id": .string(id)])["why"]?.objectValue)
            let offer = try #require(why["expedite"]?.objectValue, "\(id): \(why)")
            let dry = try c.call(["op": "expedite", "order_id": .string(id), "reason": "ward 4", "dry_run": true])
            #expect(dry.isOK, "\(dry)")
            #expect(offer["slot_start"] == dry["order"]?.objectValue?["slot_start"], "\(id)")
            #expect(offer["displaced"] == dry["displaced_count"], "\(id)")
            #expect(why["text"]?.stringValue?.contains("An expedite would bring it to") == true)
        }
        // 3 units never fit a budget of 2: over_budget, and why offers nothing.
        #expect(try c.call(["op": "expedite", "order_id": "BIG", "reason": "x", "dry_run": true]).errorCode == "over_budget")
        #expect(try c.call(["op": "why", "order_id": "BIG"])["why"]?.objectValue?["expedite"] == .null)
        // A promised order has none.
        #expect(try c.call(["op": "why", "order_id": "C-0"])["why"]?.objectValue?["expedite"] == nil)
    }
}
