@testable import FairwayCore
import Testing

/// `why`'s `expedite` says what `expedite` would do now: the same slot and
/// the same count of displaced orders as the real one (run on a copy), or
/// nil exactly when it would answer `over_budget`; and it changes nothing.
@Suite struct WhyExpediteTests {
    @Test(arguments: [(11, 10), (12, 25), (13, 50), (14, 0), (15, 100)] as [(UInt64, Int)])
    func whyTellsWhatAnExpediteWouldDo(seed: UInt64, budget: Int) {
        var config = makeConfig(capacity: 8, horizon: 2, lead: 1, depots: ["main", "south"])
        config.expediteBudget = budget
        var s = Scheduler(config: config, now: t0)
        var w = RandomWorkload(seed: seed)
        var answered = 0
        var refused = 0
        for step in 0..<200 {
            w.step(&s)
            if w.chance(30), let id = w.pickQueued(s) {
                _ = s.drainChanges()
                let ordersBefore = s.orders
                let schedule = try! s.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil)
                let why = try! s.why(id)
                #expect(s.orders == ordersBefore && s.drainChanges().isEmpty, "step \(step): why changed something")
                #expect(try! s.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil) == schedule, "step \(step)")
                var copy = s
                switch Result(catching: { () throws(FairwayError) in try copy.expedite(orderID: id, reason: "t", now: w.now, actor: "t") }) {
                case .success(let real):
                    answered += 1
                    #expect(why.expedite == Why.Expedite(slotStart: real.record.slotStart, displaced: real.displacement.count), "step \(step): \(id)")
                case .failure(let error):
                    refused += 1
                    #expect(error.code == .overBudget, "step \(step): \(error)")
                    #expect(why.expedite == nil, "step \(step): \(id): why offers an expedite that is over budget")
                }
            }
        }
        if budget == 0 { #expect(answered == 0) } else { #expect(answered > 5, "\(answered) answered, \(refused) refused") }
    }

    @Test func onlyAQueuedOrderHasAnExpedite() throws {
        var config = makeConfig(capacity: 2, horizon: 1)
        config.expediteBudget = 50
        var s = Scheduler(config: config, now: t0)
        _ = try s.submit((0..<8).map { sub("O\($0)", "C-\($0)") }, now: t0, actor: "t")
        #expect(try s.why("O0").expedite == nil, "committed")
        // O7 waits three slots out; with 1 unit of budget per slot it would take the first slot with room.
        let y = try s.why("O7")
        let e = try #require(y.expedite)
        var copy = s
        let real = try copy.expedite(orderID: "O7", reason: "t", now: t0, actor: "t")
        #expect(e.slotStart == real.record.slotStart && e.displaced == real.displacement.count)
        #expect(e.displaced > 0 && e.slotStart < y.slotStart!)
        #expect(y.text.contains("An expedite would bring it to"))
    }
}
