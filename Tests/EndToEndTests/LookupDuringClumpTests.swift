import FairwayProtocol
import Foundation
import Glibc
import Testing

/// `order` lookups are answered while a long submit is being applied, from
/// the state as it was before it: nothing of the clump shows until its
/// submitter has its answer. (The debug-only `FAIRWAY_TEST_SUBMIT_PAUSE_MS`
/// hook makes the clump take seconds, so the timing is not a race.)
@Suite struct LookupDuringClumpTests {
    @Test func lookupsDuringAClumpSeeTheStateBeforeIt() throws {
        let d = try DaemonFixture(
            config: DaemonFixture.defaultConfig.replacingOccurrences(of: "capacity = 10", with: "capacity = 40"),
            environment: ["FAIRWAY_TEST_SUBMIT_PAUSE_MS": "20"])
        let setup = try d.client()
        let before = (0..<300).map { orderJSON("OLD-\($0)", "C-\($0 % 50)", units: 1) }
        #expect(try setup.call(submitJSON(before), timeout: 60)["accepted"] == JSON(300))
        let watched = try setup.call(["op": "order", "order_id": "OLD-299"])["order"]!.objectValue!
        #expect(watched["state"] == "queued")
        let place = watched["position"]!

        // A clump whose platinum orders (new customers) go ahead of OLD-299.
        let clump = (0..<3000).map { orderJSON("NEW-\($0)", "P-\($0)", units: 1, tier: "platinum") }
        let submitter = try d.client()
        let sent = Date()
        try submitter.send(submitJSON(clump, id: 7))
        usleep(300_000)

        // Look up, every 150 ms, until the clump is answered: through its
        // checks, its appends, its queue inserts and its answers.
        let reader = try d.client()
        var probes = 0
        var slowest = 0.0
        while !submitter.hasData(within: 0.15) {
            let started = Date()
            let during = try reader.call(["op": "order", "order_id": "OLD-299"], timeout: 10)
            let unseen = try reader.call(["op": "order", "order_id": .string("NEW-\(probes * 97 % 3000)")], timeout: 10)
            slowest = max(slowest, Date().timeIntervalSince(started))
            if submitter.hasData(within: 0) { break }  // answered meanwhile: these may show it
            probes += 1
            #expect(during["order"]?.objectValue?["position"] == place, "probe \(probes): a lookup during the clump shows its place before it")
            #expect(unseen.errorCode == "not_found", "probe \(probes): an order of the clump shows before the clump is acknowledged")
        }
        let clumpSeconds = Date().timeIntervalSince(sent)
        #expect(probes >= 10, "only \(probes) lookups fell within the clump: the test proves little")
        // Not a speed test: the hook makes the clump take seconds; a lookup
        // that waited for the clump would take most of that.
        #expect(slowest < clumpSeconds / 4, "two lookups took \(slowest) s during a clump of \(clumpSeconds) s")

        let answer = try submitter.receive(timeout: 120)
        #expect(answer["accepted"] == JSON(3000))
        let after = try reader.call(["op": "order", "order_id": "OLD-299"])["order"]!.objectValue!
        #expect(after["position"]!.intValue! > place.intValue!, "after the acknowledgement the clump is ahead of it")
        #expect(try reader.call(["op": "order", "order_id": "NEW-5"]).isOK)
    }
}
