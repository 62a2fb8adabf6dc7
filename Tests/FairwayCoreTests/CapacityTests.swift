@testable import FairwayCore
import Testing

/// The fewest orders whose units reach `excess`, and among those the set
/// latest in service order, found by trying every subset.
func bruteForceMoves(units: [Int], excess: Int) -> [Int] {
    guard excess > 0 else { return [] }
    let n = units.count
    var best: [Int]?
    for mask in 0..<(1 << n) {
        let set = (0..<n).filter { mask & (1 << $0) != 0 }
        guard set.reduce(0, { $0 + units[$1] }) >= excess else { continue }
        guard let b = best else { best = set; continue }
        if set.count < b.count { best = set; continue }
        if set.count == b.count && Array(set.reversed()).lexicographicallyPrecedes(b.reversed()) == false
            && set != b {
            best = set
        }
    }
    return best ?? Array(0..<n)
}

@Suite struct CapacityTests {
    let hour: Int64 = 3600
    var first: Int64 { t0.seconds / hour + 1 }
    func at(_ slot: Int64) -> Timestamp { Timestamp(seconds: slot * hour) }

    @Test func theMovedSetMatchesABruteForceOracle() {
        var rng = SeededRandom(seed: 99)
        for _ in 0..<3000 {
            let n = Int(rng.next() % 9)
            let units = (0..<n).map { _ in Int(rng.next() % 5) + 1 }
            let excess = Int(rng.next() % UInt64(units.reduce(0, +) + 3))
            #expect(Scheduler.promisesToMove(units: units, excess: excess) == bruteForceMoves(units: units, excess: excess),
                    "units \(units), excess \(excess)")
        }
    }

    @Test func theWorkedExamplesOfTheDocs() {
        // B 3, A 1, C 1, D 1 in service order (docs/scheduling.md).
        #expect(Scheduler.promisesToMove(units: [3, 1, 1, 1], excess: 1) == [3])
        #expect(Scheduler.promisesToMove(units: [3, 1, 1, 1], excess: 3) == [0])
        #expect(Scheduler.promisesToMove(units: [3, 1, 1, 1], excess: 4) == [0, 3])
        // W 2, X 2, Y 1, Z 1, lowered by 3: X and Z.
        #expect(Scheduler.promisesToMove(units: [2, 2, 1, 1], excess: 3) == [1, 3])
        // Delivered units alone over the capacity: every open order moves.
        #expect(Scheduler.promisesToMove(units: [1, 1], excess: 5) == [0, 1])
    }

    @Test func loweringMovesTheFewestLastInServiceOrderAheadOfTheQueue() throws {
        var s = Scheduler(config: makeConfig(capacity: 6, horizon: 2), now: t0)
        // Slot `first`: B(3) A(1) C(1) D(1), in service order; slot first+1 full too; more wait.
        _ = try s.submit([
            sub("A", "C-A", units: 1, tier: "standard"), sub("B", "C-B", units: 3, tier: "gold"),
            sub("C", "C-C", units: 1, tier: "standard"), sub("D", "C-D", units: 1, tier: "standard"),
        ], now: t0, actor: "t")
        _ = try s.submit((0..<8).map { sub("Q-\($0)", "Q-\($0)", units: 2) }, now: t0, actor: "t")
        #expect(s.storedOrder("D")!.slotStart == first * hour)
        let queuedBefore = try s.queue(depot: nil, limit: 100, after: nil).map(\.order.orderID)
        _ = s.drainChanges()
        // 6 units, capacity 3: 3 must go. One order is enough: B (3 units), though C and D come later.
        let answer = try s.setCapacity(depot: "main", from: at(first), to: at(first + 1), capacity: 3, reason: "truck 3", now: t0, actor: "op")
        #expect(answer.moved.map(\.orderID) == ["B"])
        #expect(answer.slots == [SlotFill(start: first * hour, capacity: 3, used: 3)])
        let b = s.storedOrder("B")!
        #expect(b.state == .committed)
        #expect(b.promiseMoves == 1)
        #expect(b.firstPromise == first * hour)
        // The earliest slot with committed room: beyond the full horizon, ahead of every queued order.
        #expect(answer.moved[0].toSlot == b.slotStart!)
        #expect(b.slotStart! == (first + 2) * hour)
        let changes = s.drainChanges()
        let moved = changes.events.filter { $0.kind == .promiseMoved }
        #expect(moved.count == 1)
        #expect(moved[0].fromSlot == first * hour)
        #expect(moved[0].slotStart == b.slotStart)
        #expect(changes.capacityChanges.count == 1)
        for id in ["A", "C", "D"] { #expect(s.storedOrder(id)!.slotStart == first * hour) }
        // No queued order got ahead of it; the queue's order is unchanged.
        #expect(try s.queue(depot: nil, limit: 100, after: nil).map(\.order.orderID) == queuedBefore)
        // The same change again is a repeat: nothing stored, nothing moved.
        let again = try s.setCapacity(depot: "main", from: at(first), to: at(first + 1), capacity: 3, reason: "truck 3", now: t0, actor: "op")
        #expect(again.moved.isEmpty && again.repeated)
        #expect(s.drainChanges().isEmpty)
        // status shows the change still to come.
        let status = s.status()
        #expect(status.depots[0].capacityChanges == [CapacityChangeView(start: first * hour, end: (first + 1) * hour, capacity: 3, reason: "truck 3")])
        #expect(status.depots[0].nextSlots[0].capacity == 3)
    }

    @Test func raisingMovesNoPromiseAndPullsTheQueueForward() throws {
        var s = Scheduler(config: makeConfig(capacity: 2, horizon: 2), now: t0)
        _ = try s.submit((0..<8).map { sub("O-\($0)", "C-\($0)") }, now: t0, actor: "t")
        let promised = s.orders.filter { $0.state == .committed }.map { ($0.orderID, $0.slotStart) }
        #expect(promised.count == 4)
        let answer = try s.setCapacity(depot: "main", from: at(first), to: at(first + 2), capacity: 4, reason: "extra shift", now: t0, actor: "op")
        #expect(answer.moved.isEmpty)
        for (id, start) in promised { #expect(s.storedOrder(id)!.slotStart == start) }
        // The next queued orders, in service order, took the new room.
        #expect(s.orders.filter { $0.state == .committed }.count == 8)
        #expect(answer.slots.map(\.used) == [4, 4])
    }

    @Test func closingADayAndRestoringIt() throws {
        var s = Scheduler(config: makeConfig(capacity: 2, horizon: 2), now: t0)
        _ = try s.submit((0..<3).map { sub("O-\($0)", "C-\($0)") }, now: t0, actor: "t")
        let answer = try s.setCapacity(depot: "main", from: at(first), to: at(first + 1), capacity: 0, reason: "holiday", now: t0, actor: "op")
        #expect(answer.moved.count == 2)
        #expect(answer.slots[0].used == 0)
        // Queued orders are projected around the closed slot.
        _ = try s.submit((3..<6).map { sub("O-\($0)", "C-\($0)") }, now: t0, actor: "t")
        #expect(try s.schedule(depot: nil, from: nil, to: nil).allSatisfy { $0.start != first * hour })
        // Without a capacity: the config's value again; nothing moves back.
        let reset = try s.setCapacity(depot: "main", from: at(first), to: at(first + 1), capacity: nil, reason: nil, now: t0, actor: "op")
        #expect(reset.moved.isEmpty)
        #expect(reset.slots[0].capacity == 2)
        #expect(s.status().depots[0].capacityChanges.isEmpty)
        #expect(try s.setCapacity(depot: "main", from: at(first), to: at(first + 1), capacity: nil, reason: nil, now: t0, actor: "op").repeated)
    }

    @Test func badRequestsChangeNothing() throws {
        var s = Scheduler(config: makeConfig(capacity: 2), now: t0)
        _ = try s.submit([sub("A", "C-1")], now: t0, actor: "t")
        _ = s.drainChanges()
        func code(_ depot: String, _ from: Int64, _ to: Int64, _ cap: Int?, _ reason: String?) -> FairwayError.Code? {
            do {
                _ = try s.setCapacity(depot: depot, from: at(from), to: at(to), capacity: cap, reason: reason, now: t0, actor: "op")
                return nil
            } catch { return error.code }
        }
        #expect(code("nowhere", first, first + 1, 1, "x") == .notFound)
        #expect(code("main", first, first + 1, -1, "x") == .invalidArgument)
        #expect(code("main", first, first + 1, 100_000_001, "x") == .invalidArgument)
        #expect(code("main", first, first + 1, 1, nil) == .invalidArgument)
        #expect(code("main", first + 1, first, 1, "x") == .invalidArgument)
        #expect(code("main", first, first + 10_001, 1, "x") == .invalidArgument)
        #expect(code("main", first, first + 10_000, 1, "x") == nil)
        _ = s.drainChanges()
        #expect(code("main", first, first, 1, "x") == .invalidArgument)
        #expect(s.drainChanges().isEmpty)
    }

    @Test func aChangeSurvivesARestartAndAReloadChangesOnlyTheDefault() throws {
        var s = Scheduler(config: makeConfig(capacity: 4, horizon: 2), now: t0)
        _ = try s.submit((0..<12).map { sub("O-\($0)", "C-\($0)") }, now: t0, actor: "t")
        _ = try s.setCapacity(depot: "main", from: at(first + 1), to: at(first + 4), capacity: 1, reason: "truck", now: t0, actor: "op")
        let stored = s.drainChanges().capacityChanges
        let restored = Scheduler.Restored(
            orders: s.orders, customerTiers: [:], virtualTimes: ["main": s.virtualTime(depot: "main")!], capacityChanges: stored)
        var r = try Scheduler(config: s.config, restoring: restored, now: t0)
        #expect(r.drainChanges().isEmpty)
        #expect(try r.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil) == s.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil))
        #expect(r.status() == s.status())
        var config = s.config
        config.depots[0].capacity = 5
        try r.reload(config, now: t0, actor: "t")
        let slots = r.status().depots[0].nextSlots
        #expect(slots.map(\.capacity) == [5, 1, 1, 1])
    }
}
