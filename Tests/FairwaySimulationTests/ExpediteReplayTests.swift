import FairwayCore
import FairwaySimulation
import Testing

/// `expedite` events in a replay: the daemon's own `expedite` at the event's
/// time under every policy (the head of that policy's service order, behind
/// earlier expedites, within the same budget); refusals are counted, not fatal.
@Suite struct ExpediteReplayTests {
    /// Eight orders of 5 units in one clump, two per tier, into slots of 10
    /// (the first two slots promised at once), with an expedite budget of
    /// half a slot: 5 units.
    static func config(budget: Int = 50) -> FairwayConfig {
        var c = scenarioConfig()
        c.expediteBudget = budget
        return c
    }

    static func clump() -> [TraceEvent] {
        let at = t0.adding(seconds: 600)
        var events: [TraceEvent] = []
        for (tier, prefix) in [("basic", "b"), ("standard", "s"), ("gold", "g"), ("platinum", "p")] {
            for k in 1...2 { events.append(order(at, "\(prefix)\(k)", "C-\(prefix)\(k)", units: 5, tier: tier, depot: "north")) }
        }
        return events
    }

    static func expedite(_ seconds: Int64, _ id: String) -> TraceEvent {
        TraceEvent(at: t0.adding(seconds: seconds), kind: .expedite, orderID: id, reason: "ward \(id)")
    }

    /// Slot index (hours after t0) by order.
    static func slots(_ result: ReplayResult) -> [String: Int64] {
        result.slotByOrder.mapValues { ($0 - t0.seconds) / 3600 }
    }

    /// The order each policy serves last (slot 4) goes to slot 3, the first
    /// one with room and budget after the two promised at once; the slot-3
    /// order it passes goes to slot 4.
    @Test(arguments: ServicePolicy.allCases)
    func anExpediteTakesTheHeadOfThePolicysServiceOrder(policy: ServicePolicy) throws {
        let before = Self.slots(try replay(Self.clump(), policy, config: Self.config()))
        let last = before.filter { $0.value == 4 }.keys.sorted().last!
        let result = try replay(Self.clump() + [Self.expedite(1200, last)], policy, config: Self.config())
        let after = Self.slots(result)
        #expect(after[last] == 3)
        // Promises do not move; exactly one order of slot 3 gives way.
        #expect(before.filter { $0.value <= 2 } == after.filter { $0.value <= 2 && $0.key != last })
        #expect(after.values.filter { $0 == 3 }.count == 2 && after.values.filter { $0 == 4 }.count == 2)
        #expect(result.outcomes.filter(\.expedited).map(\.orderID) == [last])
        #expect(result.expedites == tally(asked: 1, honoured: 1))
        #expect(PolicyReport(result).expedites == result.expedites)
    }

    @Test(arguments: ServicePolicy.allCases)
    func overBudgetAndAlreadyPromisedExpeditesAreCountedNotFatal(policy: ServicePolicy) throws {
        let before = Self.slots(try replay(Self.clump(), policy, config: Self.config()))
        let lastTwo = before.filter { $0.value == 4 }.keys.sorted()
        let promised = before.filter { $0.value == 1 }.keys.sorted().first!
        // The first takes slot 3 and its whole budget; the second finds no
        // earlier slot with budget left; the third is already promised.
        let events = Self.clump() + [
            Self.expedite(1200, lastTwo[1]), Self.expedite(1200, lastTwo[0]), Self.expedite(1300, promised),
        ]
        let result = try replay(events, policy, config: Self.config())
        #expect(result.expedites == tally(asked: 3, honoured: 1, overBudget: 1, notQueued: 1))
        #expect(Self.slots(result)[lastTwo[1]] == 3)
        #expect(Self.slots(result)[promised] == 1)
        // With the budget at 0 (expedites off) every one is refused.
        let off = try replay(events, policy, config: Self.config(budget: 0))
        #expect(off.expedites == tally(asked: 3, overBudget: 2, notQueued: 1))
        #expect(Self.slots(off) == before)
    }

    @Test func anExpediteOfAnOrderNoEarlierLineBroughtNamesItsLine() {
        var stray = Self.expedite(700, "nobody")
        stray.line = 4
        #expect {
            try replay(Self.clump() + [stray], .fair, config: Self.config())
        } throws: { error in
            (error as! TraceError).description == "line 4, column order_id: no order 'nobody' on an earlier line"
        }
    }

    /// Generated traces with expedites (and capacity changes), every policy:
    /// the budget holds in every slot, capacity is never exceeded, every
    /// expedite is honoured or refused, and the same trace gives the same
    /// outcomes and report.
    @Test(arguments: ServicePolicy.allCases)
    func budgetAndCapacityHoldOnGeneratedTraces(policy: ServicePolicy) throws {
        var config = scenarioConfig()
        config.expediteBudget = 30
        var options = TraceGenerator.Options()
        options.seed = 5
        options.days = 3
        options.customers = 60
        options.load = 0.95
        options.expediteShare = 0.08
        let trace = TraceGenerator.trace(options, config: config)
        let asked = trace.events.filter { $0.kind == .expedite }.count
        #expect(asked > 20)
        let result = try Replay.run(Scenario(config: config, trace: trace), policy: policy)
        let e = result.expedites
        #expect(e.asked == asked && e.honoured + e.overBudget + e.notQueued == asked)
        #expect(e.honoured > 0, "\(policy): \(e)")
        #expect(result.outcomes.allSatisfy { $0.slotStart != nil })
        #expect(result.outcomes.filter(\.expedited).count == e.honoured)
        var expedited: [String: [Int64: Int]] = [:]
        for o in result.outcomes where o.expedited { expedited[o.depot, default: [:]][o.slotStart!, default: 0] += o.units }
        for slot in result.slots {
            #expect(slot.used <= slot.capacity, "\(policy) \(slot)")
            let budget = max(1, slot.capacity * config.expediteBudget / 100)
            let units = expedited[slot.depot]?[slot.start] ?? 0
            #expect(units <= budget, "\(policy) \(slot.depot) slot \(slot.start): \(units) expedited units, budget \(budget)")
        }
        let again = try Replay.run(Scenario(config: config, trace: trace), policy: policy)
        #expect(again.outcomes == result.outcomes && again.expedites == e)

        // With a truck down and an extra shift on day 2, capacity still holds.
        var events = trace.events
        let day2 = Timestamp(seconds: (events[0].at.seconds / 86_400 + 1) * 86_400)
        for c in [
            TraceEvent(at: day2, kind: .capacity, depot: "north", capacity: 5, from: day2.adding(seconds: 3 * 3600),
                       to: day2.adding(seconds: 9 * 3600), reason: "truck down"),
            TraceEvent(at: day2.adding(seconds: 4 * 3600), kind: .capacity, depot: "north", capacity: 16,
                       from: day2.adding(seconds: 12 * 3600), to: day2.adding(seconds: 18 * 3600), reason: "extra shift"),
        ] {
            events.insert(c, at: events.firstIndex { $0.at > c.at } ?? events.count)
        }
        let changed = try Replay.run(Scenario(config: config, trace: Trace(events: events)), policy: policy)
        #expect(changed.slots.allSatisfy { $0.used <= $0.capacity }, "\(policy)")
        #expect(changed.expedites.asked == asked)
    }

    func tally(asked: Int, honoured: Int = 0, overBudget: Int = 0, notQueued: Int = 0) -> ExpediteTally {
        var t = ExpediteTally()
        t.asked = asked
        t.honoured = honoured
        t.overBudget = overBudget
        t.notQueued = notQueued
        return t
    }
}
