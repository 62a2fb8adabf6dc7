import FairwayCore
import FairwaySimulation
import Testing

@Suite struct ReplayTests {
    /// Eight orders of 5 units in one clump, two per tier, into slots of 10:
    /// two orders a slot, the first two slots promised at once.
    func clump() -> [TraceEvent] {
        let at = t0.adding(seconds: 600)
        var events: [TraceEvent] = []
        for (tier, prefix) in [("basic", "b"), ("standard", "s"), ("gold", "g"), ("platinum", "p")] {
            for k in 1...2 { events.append(order(at, "\(prefix)\(k)", "C-\(prefix)\(k)", units: 5, tier: tier, depot: "north")) }
        }
        return events + [complaint(t0.adding(seconds: 1200), "p2")]
    }

    func slots(_ policy: ServicePolicy) throws -> [String: Int64] {
        try replay(clump(), policy).slotByOrder.mapValues { ($0 - t0.seconds) / 3600 }
    }

    @Test func eachPolicyServesTheClumpInItsOwnOrder() throws {
        let byTier: [String: Int64] = ["p1": 1, "p2": 1, "g1": 2, "g2": 2, "s1": 3, "s2": 3, "b1": 4, "b2": 4]
        #expect(try slots(.fair) == byTier)
        #expect(try slots(.strictTier) == byTier)
        #expect(try slots(.fifo) == ["b1": 1, "b2": 1, "s1": 2, "s2": 2, "g1": 3, "g2": 3, "p1": 4, "p2": 4])
        // p2's customer complained while p2 waited: it goes to the head.
        #expect(try slots(.complaints) == ["b1": 1, "b2": 1, "s1": 2, "s2": 2, "p2": 3, "g1": 3, "g2": 4, "p1": 4])
    }

    @Test func theReportCountsWaitsInSlotsFromTheSlotOfClearance() throws {
        let report = PolicyReport(try replay(clump(), .fair))
        #expect(report.placed == 8)
        #expect(report.tiers.map(\.tier) == ["platinum", "gold", "standard", "basic"])
        #expect(report.tiers.map(\.mean) == [1, 2, 3, 4])
        #expect(report.maxWait == 4)
        // (8·1 + 4·2 + 2·3 + 1·4) · 2 / ((8 + 4 + 2 + 1) · 2)
        #expect(report.vwMeanWait == 26.0 / 15.0)
        // Slots 1...4 full (the slot of clearance, 0, is not bookable).
        #expect(report.utilisation == 1)
        #expect(report.onTimeToFirstPromise == 1)
        // Platinum: p2 (vocal) and p1 (quiet) both wait 1.
        #expect(report.vocalAdvantage == 1)
        let complaints = PolicyReport(try replay(clump(), .complaints))
        // p2 waits 3, p1 waits 4: complaining bought one slot of four.
        #expect(complaints.vocalAdvantage == 4.0 / 3.0)
    }

    @Test func fairServesALowTierOrderThatStrictTierStarves() throws {
        // A clump fills the horizon and leaves one basic order waiting; then a
        // stream of new platinum customers fills one slot an hour for a day.
        var events = (0..<4).map { k in order(t0.adding(seconds: 60), "first-\(k)", "C-f\(k)", units: 5, tier: "platinum", depot: "north") }
        events.append(order(t0.adding(seconds: 60), "basic-1", "C-b", units: 2, tier: "basic", depot: "north"))
        for h in 0..<24 {
            for k in 0..<2 {
                events.append(order(t0.adding(seconds: Int64(h) * 3600 + 120), "plat-\(h)-\(k)", "C-p\(h)-\(k)", units: 5, tier: "platinum", depot: "north"))
            }
        }
        let fair = try replay(events, .fair).slotByOrder["basic-1"]!
        let strict = try replay(events, .strictTier).slotByOrder["basic-1"]!
        // Fair: its tag 0 + 2/1 is passed by two hours of newcomers (5/8 each hour).
        #expect((fair - t0.seconds) / 3600 <= 5)
        // Strict tier: only after the stream (its last orders take slot 26).
        #expect((strict - t0.seconds) / 3600 >= 26)
    }

    @Test func deadlinesMissedAndNeverPlacedOrdersAreCounted() throws {
        var late = order(t0.adding(seconds: 600), "late", "C-1", units: 10, tier: "basic", depot: "north")
        late.deadline = t0.adding(seconds: 2 * 3600)  // slot 1 ends at 02:00; slot 2 does not
        var kept = order(t0.adding(seconds: 600), "kept", "C-2", units: 10, tier: "platinum", depot: "north")
        kept.deadline = t0.adding(seconds: 2 * 3600)
        let report = PolicyReport(try replay([late, kept], .fair))
        #expect(report.deadlines == 2)
        #expect(report.deadlineMissed == 1)
    }

    @Test func badEventsNameTheirLineAndColumn() throws {
        var unknownTier = order(t0, "o1", "C-1", tier: "diamond")
        unknownTier.line = 7
        #expect {
            try replay([unknownTier], .fair)
        } throws: { error in
            let e = error as! TraceError
            return e.line == 7 && e.column == "tier" && e.message.contains("no tier named 'diamond'")
        }
        var stray = complaint(t0.adding(seconds: 5), "nobody")
        stray.line = 3
        #expect {
            try replay([order(t0, "o1", "C-1"), stray], .fair)
        } throws: { error in
            (error as! TraceError).description == "line 3, column order_id: no order 'nobody' on an earlier line"
        }
        #expect {
            try Scenario(config: scenarioConfig(), trace: Trace(events: []), capacities: ["east": 5])
        } throws: { error in
            (error as! TraceError).message.contains("no depot named 'east'")
        }
    }

    @Test func capacityOverridesChangeTheDepotsSlots() throws {
        let scenario = try Scenario(config: scenarioConfig(), trace: Trace(events: clump()), capacities: ["north": 20])
        let result = try Replay.run(scenario, policy: .fair)
        let slots = Set(result.slotByOrder.values.map { ($0 - t0.seconds) / 3600 })
        #expect(slots == [1, 2])
    }

    @Test func aCapacityEventMovesTheFewestPromisesAndIsCounted() throws {
        // A truck down in the 01:00 slot after the clump was promised: 5 units instead of 10.
        let truck = TraceEvent(
            at: t0.adding(seconds: 700), kind: .capacity, depot: "north", capacity: 5, from: t0.adding(seconds: 3600),
            to: t0.adding(seconds: 7200), reason: "truck 3 in repair")
        let result = try replay(clump() + [truck], .fair)
        let slots = result.slotByOrder.mapValues { ($0 - t0.seconds) / 3600 }
        // p2, last in service order in slot 1, moves to the first slot with
        // room beside the promises (slot 3), ahead of the queue.
        #expect(slots == ["p1": 1, "p2": 3, "g1": 2, "g2": 2, "s1": 3, "s2": 4, "b1": 4, "b2": 5])
        let report = PolicyReport(result)
        #expect(report.promisesMoved == 1)
        #expect(report.onTimeToFirstPromise == 7.0 / 8.0)
        let slot1 = result.slots.first { $0.depot == "north" && $0.start == t0.seconds + 3600 }!
        #expect(slot1.capacity == 5 && slot1.used == 5)
        #expect(result.slots.allSatisfy { $0.used <= $0.capacity })
    }

    @Test func capacityIsNeverExceededWithCapacityChangesInAnyPolicy() throws {
        let config = scenarioConfig()
        var events = generatedTrace(seed: 11, config: config).events
        // North loses half its capacity for six hours on the second day, then gets an extra shift.
        let day2 = Timestamp(seconds: (events[0].at.seconds / 86_400 + 1) * 86_400)
        let changes = [
            TraceEvent(at: day2, kind: .capacity, depot: "north", capacity: 5, from: day2.adding(seconds: 3 * 3600),
                       to: day2.adding(seconds: 9 * 3600), reason: "truck down"),
            TraceEvent(at: day2.adding(seconds: 4 * 3600), kind: .capacity, depot: "north", capacity: 16,
                       from: day2.adding(seconds: 12 * 3600), to: day2.adding(seconds: 18 * 3600), reason: "extra shift"),
            TraceEvent(at: day2.adding(seconds: 5 * 3600), kind: .capacity, depot: "south", from: day2, to: day2.adding(seconds: 86_400)),
        ]
        for c in changes {
            let at = events.firstIndex { $0.at > c.at } ?? events.count
            events.insert(c, at: at)
        }
        for policy in ServicePolicy.allCases {
            let result = try Replay.run(Scenario(config: config, trace: Trace(events: events)), policy: policy)
            #expect(result.outcomes.allSatisfy { $0.slotStart != nil })
            #expect(result.slots.allSatisfy { $0.used <= $0.capacity }, "\(policy)")
            #expect(result.slots.contains { $0.capacity == 16 })
        }
    }

    @Test func theSameTraceGivesTheSameOutcomes() throws {
        let config = scenarioConfig()
        let trace = generatedTrace(seed: 7, config: config)
        for policy in ServicePolicy.allCases {
            let a = try Replay.run(Scenario(config: config, trace: trace), policy: policy)
            let b = try Replay.run(Scenario(config: config, trace: trace), policy: policy)
            #expect(a.outcomes == b.outcomes)
            #expect(PolicyReport(a) == PolicyReport(b))
        }
    }
}
