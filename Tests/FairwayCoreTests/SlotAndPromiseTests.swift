import FairwayCore
import Testing

@Suite struct SlotAndPromiseTests {
    @Test func committedAssignmentsNeverMoveWhenLaterOrdersArrive() throws {
        var s = Scheduler(config: makeConfig(capacity: 4, horizon: 2), now: t0)
        _ = try s.submit((0..<8).map { sub("S-\($0)", "S-\($0)", tier: "standard") }, now: t0, actor: "t")
        let promised = Dictionary(uniqueKeysWithValues: s.orders.filter { $0.state == .committed }.map { ($0.orderID, $0.slotStart!) })
        #expect(promised.count == 8)
        // A flood of gold orders afterwards cannot take their slots.
        _ = try s.submit((0..<50).map { sub("G-\($0)", "G-\($0)", tier: "gold") }, now: t0, actor: "t")
        for (id, start) in promised {
            #expect(s.storedOrder(id)!.state == .committed)
            #expect(s.storedOrder(id)!.slotStart == start)
        }
        #expect(try s.order("G-0").order.state == .queued)
        // Gold orders are projected right after the horizon, ahead of nobody committed.
        let g0 = try s.order("G-0")
        #expect(g0.slotStart == (t0.seconds / 3600 + 3) * 3600)
        #expect(g0.promised == false)
        #expect(g0.position == 0)
    }

    @Test func leadSlotsAndHorizonDecideTheFirstPromisedSlot() throws {
        let now = t0.adding(seconds: 1800)  // half way through a one-hour slot
        var s = Scheduler(config: makeConfig(capacity: 1, horizon: 2, lead: 1), now: now)
        let results = try s.submit((0..<3).map { sub("O-\($0)", "C-\($0)") }, now: now, actor: "t")
        let first = (t0.seconds / 3600 + 1) * 3600
        #expect(results.map(\.slotStart) == [first, first + 3600, first + 7200])
        #expect(results.map(\.state) == [.committed, .committed, .queued])
        var zeroLead = Scheduler(config: makeConfig(capacity: 1, horizon: 1, lead: 0), now: now)
        let r0 = try zeroLead.submit([sub("X", "X")], now: now, actor: "t")
        #expect(r0[0].slotStart == t0.seconds)
    }

    @Test func theHorizonRollsWhenTheClockEntersANewSlot() throws {
        var s = Scheduler(config: makeConfig(capacity: 2, horizon: 1, lead: 0), now: t0)
        _ = try s.submit((0..<6).map { sub("O-\($0)", "C-\($0)") }, now: t0, actor: "t")
        #expect(s.orders.filter { $0.state == .committed }.count == 2)
        _ = s.drainChanges()
        s.tick(now: t0.adding(seconds: 3599))
        #expect(s.drainChanges().isEmpty)
        s.tick(now: t0.adding(seconds: 3600))
        let changes = s.drainChanges()
        #expect(changes.events.filter { $0.kind == .committed }.count == 2)
        #expect(s.orders.filter { $0.state == .committed }.count == 4)
        // Orders whose slot has passed stay committed until an outcome is recorded.
        #expect(s.storedOrder("O-0")!.state == .committed)
    }

    @Test func notBeforeIsRespectedAndALaterOrderMayUseRoomAnEarlierCannot() throws {
        var s = Scheduler(config: makeConfig(capacity: 3, horizon: 3, lead: 0), now: t0)
        let later = t0.adding(seconds: 2 * 3600)
        let r = try s.submit([
            sub("NB", "A", units: 1, tier: "gold", notBefore: later),
            sub("BIG", "B", units: 3, tier: "gold"),
            sub("SMALL", "C", units: 2, tier: "standard"),
            sub("TINY", "D", units: 1, tier: "standard"),
        ], now: t0, actor: "t")
        let slot = { (i: Int64) in t0.seconds + i * 3600 }
        let byID = Dictionary(uniqueKeysWithValues: r.map { ($0.orderID, $0.slotStart!) })
        #expect(byID["NB"] == slot(2))
        #expect(byID["BIG"] == slot(0))
        #expect(byID["SMALL"] == slot(1))
        #expect(byID["TINY"] == slot(1))
        // not_before mid-slot: the first slot starting at or after it.
        var s2 = Scheduler(config: makeConfig(capacity: 3, horizon: 3, lead: 0), now: t0)
        let r2 = try s2.submit([sub("M", "M", notBefore: t0.adding(seconds: 60))], now: t0, actor: "t")
        #expect(r2[0].slotStart == slot(1))
    }

    @Test func ordersAreNeverDroppedWhenCapacityIsShort() throws {
        var s = Scheduler(config: makeConfig(capacity: 3, horizon: 1), now: t0)
        _ = try s.submit((0..<100).map { sub("O-\($0)", "C-\($0 % 7)", units: 2) }, now: t0, actor: "t")
        let slots = try s.schedule(depot: nil, from: nil, to: nil)
        #expect(slots.flatMap(\.orderIDs).count == 100)
        #expect(slots.allSatisfy { $0.used <= 3 })
        #expect(s.status().queued == 99)
    }

    @Test func aDeadlineMarksAtRiskButNeverReorders() throws {
        var a = Scheduler(config: makeConfig(capacity: 1, horizon: 1), now: t0)
        var b = Scheduler(config: makeConfig(capacity: 1, horizon: 1), now: t0)
        let batch = (0..<10).map { sub("O-\($0)", "C-\($0)") }
        var withDeadline = batch
        withDeadline[9].deadline = t0.adding(seconds: 3 * 3600)
        _ = try a.submit(batch, now: t0, actor: "t")
        _ = try b.submit(withDeadline, now: t0, actor: "t")
        #expect(try a.queue(depot: nil, limit: 100, after: nil).map(\.order.orderID)
            == b.queue(depot: nil, limit: 100, after: nil).map(\.order.orderID))
        #expect(try b.order("O-9").atRisk)
        #expect(try !b.order("O-8").atRisk)
    }

    @Test func cancellingACommittedOrderFreesItsRoomForTheHeadOfTheQueue() throws {
        var s = Scheduler(config: makeConfig(capacity: 1, horizon: 1), now: t0)
        _ = try s.submit([sub("A", "A"), sub("B", "B"), sub("C", "C")], now: t0, actor: "t")
        let slotA = s.storedOrder("A")!.slotStart
        _ = try s.close(orderID: "A", as: .cancelled, reason: "customer asked", now: t0, actor: "t")
        #expect(s.storedOrder("B")!.state == .committed)
        #expect(s.storedOrder("B")!.slotStart == slotA)
        #expect(try s.order("A").slotStart == nil)
        #expect(throws: FairwayError.self) { try s.close(orderID: "A", as: .delivered, reason: nil, now: t0, actor: "t") }
    }

    @Test func aReloadKeepsPromisesEvenWhenCapacityDrops() throws {
        var s = Scheduler(config: makeConfig(capacity: 4, horizon: 2), now: t0)
        _ = try s.submit((0..<10).map { sub("O-\($0)", "C-\($0)") }, now: t0, actor: "t")
        let before = s.orders.filter { $0.state == .committed }.map { ($0.orderID, $0.slotStart) }
        try s.reload(makeConfig(capacity: 2, horizon: 3), now: t0, actor: "t")
        for (id, start) in before { #expect(s.storedOrder(id)!.slotStart == start) }
        // The third slot is filled to the new capacity only.
        let slots = try s.schedule(depot: nil, from: nil, to: nil)
        #expect(slots[2].used == 2)
        #expect(throws: FairwayError.self) { try s.reload(makeConfig(capacity: 2, slotLength: 60), now: t0, actor: "t") }
    }
}
