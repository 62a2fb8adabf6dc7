import FairwayCore
import Testing

/// `why`'s reasons for each situation, and the numbers behind them.
@Suite struct WhyTests {
    /// The slot index of `t0` in one-hour slots.
    let h0 = t0.seconds / 3600

    @Test func aClosedOrderHasOnlyTheClosedReason() throws {
        var s = Scheduler(config: makeConfig(capacity: 4), now: t0)
        _ = try s.submit([sub("A", "C-1"), sub("B", "C-2")], now: t0, actor: "t")
        _ = try s.close(orderID: "A", as: .delivered, reason: nil, now: t0, actor: "t")
        _ = try s.close(orderID: "B", as: .cancelled, reason: nil, now: t0, actor: "t")
        #expect(try s.why("A").reasons == [.closed])
        #expect(try s.why("B").reasons == [.closed])
        #expect(try s.why("A").text.contains("delivered"))
        #expect(try s.why("B").text.contains("cancelled"))
    }

    @Test func aPromiseInTheEarliestSlotIsPromisedAndLead() throws {
        var s = Scheduler(config: makeConfig(capacity: 4), now: t0)
        _ = try s.submit([sub("A", "C-1")], now: t0, actor: "t")
        let y = try s.why("A")
        #expect(y.reasons == [.promised, .lead])
        #expect(y.earliestSlot == (h0 + 1) * 3600)
        #expect(y.slotStart == (h0 + 1) * 3600)
        #expect(y.position == nil)
        #expect(y.text.contains("will not move"))
    }

    @Test func aPromiseAfterAFullSlotNamesCapacity() throws {
        var s = Scheduler(config: makeConfig(capacity: 2), now: t0)
        _ = try s.submit([sub("A", "C-1", units: 2), sub("B", "C-2", units: 2)], now: t0, actor: "t")
        let y = try s.why("B")
        #expect(y.state == .committed)
        #expect(y.slotStart == (h0 + 2) * 3600)
        #expect(y.fullSlots == 1)
        #expect(y.reasons == [.promised, .capacity])
    }

    @Test func notBeforeIsTheReasonWhenItDecidesTheSlot() throws {
        var s = Scheduler(config: makeConfig(capacity: 10, horizon: 1), now: t0)
        let asked = Timestamp(seconds: (h0 + 5) * 3600)
        _ = try s.submit([sub("A", "C-1", notBefore: asked)], now: t0, actor: "t")
        let y = try s.why("A")
        #expect(y.state == .queued)
        #expect(y.slotStart == (h0 + 5) * 3600)
        #expect(y.reasons == [.notBefore])
        #expect(y.fullSlots == 0)
        #expect(y.text.contains("no earlier"))
    }

    @Test func aQueuedOrderInTheEarliestSlotIsLead() throws {
        // No horizon: nothing is promised, the first order is projected into the first bookable slot.
        var s = Scheduler(config: makeConfig(capacity: 10, horizon: 0), now: t0)
        _ = try s.submit([sub("A", "C-1")], now: t0, actor: "t")
        let y = try s.why("A")
        #expect(y.state == .queued)
        #expect(y.reasons == [.lead])
        #expect(y.aheadOrders == 0)
        #expect(y.position == 0)
    }

    @Test func fullSlotsAndOrdersAheadGiveCapacityAndFairShare() throws {
        var s = Scheduler(config: makeConfig(capacity: 2, horizon: 1), now: t0)
        // One slot promised, then gold orders ahead of a standard one received at the same moment.
        _ = try s.submit([sub("P", "C-0", units: 2)], now: t0, actor: "t")
        _ = try s.submit(
            [sub("S", "C-9", units: 2, tier: "standard")] + (1...3).map { sub("G\($0)", "C-\($0)", units: 2, tier: "gold") },
            now: t0, actor: "t")
        let y = try s.why("S")
        #expect(y.state == .queued)
        #expect(y.position == 3)
        #expect(y.aheadOrders == 3)
        #expect(y.aheadUnits == 6)
        #expect(y.aheadByTier == [Why.TierCount(tier: "gold", orders: 3, units: 6)])
        // The promised slot and the three gold orders' slots are full.
        #expect(y.slotStart == (h0 + 5) * 3600)
        #expect(y.fullSlots == 4)
        #expect(y.reasons == [.capacity, .fairShare])
        #expect(y.weight == 2)
        #expect(y.text.contains("The 4 slots"))
        #expect(y.text.contains("3 orders (6 units)"))
        #expect(y.text.contains("3 gold"))
        #expect(y.expedite == nil)
    }

    @Test func tiersAheadAreListedInConfigOrderLeavingOutEmptyOnes() throws {
        var s = Scheduler(
            config: makeConfig(capacity: 1, horizon: 0, tiers: [("gold", 8), ("silver", 4), ("standard", 2)]), now: t0)
        _ = try s.submit(
            [sub("S1", "C-1", tier: "standard"), sub("G1", "C-2", tier: "gold"), sub("S2", "C-3", tier: "standard"),
             sub("L", "C-4", tier: "standard")],
            now: t0, actor: "t")
        let y = try s.why("L")
        #expect(y.aheadByTier.map(\.tier) == ["gold", "standard"])
        #expect(y.aheadByTier.map(\.orders) == [1, 2])
    }

    @Test func anUnknownOrderIsNotFound() {
        var s = Scheduler(config: makeConfig(), now: t0)
        #expect(throws: FairwayError.self) { try s.why("nope") }
    }

    /// Property: for every queued order of random clumps, the reasons follow
    /// from the numbers, the numbers match `queue`, and the text names them.
    @Test func reasonsFollowFromTheNumbers() throws {
        var rng = SeededRandom(seed: 14)
        for round in 0..<20 {
            var s = Scheduler(config: makeConfig(capacity: 6, horizon: 1 + round % 3), now: t0)
            let subs = (0..<40).map { i in
                sub("O-\(i)", "C-\(rng.next() % 12)", units: 1 + Int(rng.next() % 4), tier: rng.next() % 2 == 0 ? "gold" : "standard",
                    notBefore: rng.next() % 5 == 0 ? Timestamp(seconds: (h0 + Int64(rng.next() % 8)) * 3600) : nil)
            }
            _ = try s.submit(subs, now: t0, actor: "t")
            let queued = try s.queue(depot: nil, limit: 10_000, after: nil)
            var unitsBefore = 0
            for v in queued {
                let y = try s.why(v.order.orderID)
                #expect(y.position == v.position)
                #expect(y.slotStart == v.slotStart)
                #expect(y.aheadOrders == v.position)
                #expect(y.aheadUnits == unitsBefore)
                #expect(y.aheadByTier.reduce(0) { $0 + $1.orders } == y.aheadOrders)
                #expect(!y.reasons.isEmpty)
                #expect(y.reasons.contains(.capacity) == (y.fullSlots > 0))
                if y.reasons.contains(.capacity) { #expect(y.text.contains("\(y.fullSlots)")) }
                if y.reasons.contains(.fairShare) { #expect(y.text.contains("\(y.aheadOrders) order")) }
                unitsBefore += Int(v.order.units)
            }
        }
    }
}
