@testable import FairwayCore
import Testing

/// `RandomWorkload` plus capacity changes and retried failures.
struct PromiseWorkload {
    var base: RandomWorkload
    var rng: SeededRandom
    /// Every capacity change made, in order: (first slot, end slot, capacity or nil).
    var changes: [(from: Int64, to: Int64, capacity: Int?)] = []
    var lastAnswer: CapacityAnswer?
    var retried: [String] = []

    init(seed: UInt64, applyComplaints: Bool = true) {
        base = RandomWorkload(seed: seed, applyComplaints: applyComplaints)
        rng = SeededRandom(seed: seed &* 7919)
    }

    /// The capacity of a slot by replaying `changes` (independent of the scheduler's own ranges).
    func capacity(ofSlot s: Int64, default value: Int) -> Int {
        var c = value
        for change in changes where change.from <= s && s < change.to { c = change.capacity ?? value }
        return c
    }

    mutating func step(_ s: inout Scheduler) -> String {
        lastAnswer = nil
        retried = []
        let roll = rng.next() % 100
        let length = base.slotLength
        if roll < 12 {
            let now = base.now.seconds / length
            let from = now - 1 + Int64(rng.next() % 8)
            let to = from + 1 + Int64(rng.next() % 3)
            let capacity: Int? = rng.next() % 10 < 3 ? nil : Int(rng.next() % 9)
            let answer = try! s.setCapacity(
                depot: "main", from: Timestamp(seconds: from * length), to: Timestamp(seconds: to * length),
                capacity: capacity, reason: capacity == nil ? nil : "test", now: base.now, actor: "test")
            changes.append((from, to, capacity))
            lastAnswer = answer
            return "capacity"
        }
        if roll < 20 {
            guard let id = base.randomOpen(s) else { return "none" }
            _ = try! s.fail(orderID: id, reason: "customer_absent", note: nil, at: nil, retry: true, now: base.now, actor: "test")
            retried = [id]
            return "retry"
        }
        return base.step(&s)
    }
}

@Suite struct PromisePropertyTests {
    /// Committed (open) orders of a slot in service order, with their units.
    func committed(_ s: Scheduler, depot: String, slot start: Int64) -> [Order] {
        s.orders.filter { $0.depot == depot && $0.slotStart == start && $0.state == .committed }
            .sorted { ($0.tag, $0.seq) < ($1.tag, $1.seq) }
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func promisesMoveOnlyThroughCapacityChangesTheFewestAndLastInServiceOrder(seed: UInt64) throws {
        let capacity = 6
        var s = Scheduler(config: makeConfig(capacity: capacity, horizon: 2, lead: 1), now: t0)
        var w = PromiseWorkload(seed: seed)
        var kinds: [String: Int] = [:]
        var movedTotal = 0
        for step in 0..<250 {
            let before = s
            let kind = w.step(&s)
            kinds[kind, default: 0] += 1
            let length = w.base.slotLength
            // Promises move only through a capacity change (a retry takes one back to the queue).
            var movedNow: Set<String> = []
            for o in before.orders where o.state == .committed {
                let after = s.storedOrder(o.orderID)!
                if w.retried.contains(o.orderID) {
                    // Back in line under its old tag (and perhaps committed again at once).
                    #expect(after.state == .queued || after.state == .committed)
                    #expect(after.tag == o.tag)
                    #expect(after.firstPromise == o.firstPromise)
                    #expect(after.attempts.count == o.attempts.count + 1)
                } else if after.state == .queued {
                    Issue.record("step \(step): \(o.orderID) left its slot")
                    #expect(after.tag == o.tag)
                    #expect(after.firstPromise == o.firstPromise)
                } else if after.slotStart != o.slotStart && after.state != .cancelled {
                    movedNow.insert(o.orderID)
                    #expect(after.promiseMoves == o.promiseMoves + 1)
                    #expect(after.state == .committed)
                    #expect(after.firstPromise == o.firstPromise)
                }
            }
            if kind == "capacity" {
                let answer = w.lastAnswer!
                #expect(Set(answer.moved.map(\.orderID)) == movedNow, "step \(step)")
                movedTotal += movedNow.count
                // Per slot of the range: the moved orders are the oracle's choice.
                let change = w.changes.last!
                for slot in change.from..<change.to {
                    let start = slot * length
                    let open = committed(before, depot: "main", slot: start)
                    let used = before.orders.filter { $0.slotStart == start && $0.state != .cancelled }.reduce(0) { $0 + Int($1.units) }
                    let cap = w.capacity(ofSlot: slot, default: capacity)
                    let expected = bruteForceMoves(units: open.map { Int($0.units) }, excess: used - cap).map { open[$0].orderID }
                    let actual = answer.moved.filter { $0.fromSlot == start }.map(\.orderID)
                    #expect(Set(actual) == Set(expected), "step \(step): slot \(slot) moved \(actual), oracle \(expected)")
                }
                // Each moved order got the earliest slot from the first bookable one with committed room.
                for m in answer.moved {
                    let o = s.storedOrder(m.orderID)!
                    var slot = w.base.now.seconds / length + 1
                    if let nb = o.notBefore { slot = max(slot, (nb.milliseconds + length * 1000 - 1) / (length * 1000)) }
                    #expect(m.toSlot >= slot * length)
                }
            } else {
                #expect(movedNow.isEmpty, "step \(step) (\(kind)) moved \(movedNow)")
            }
            // No slot over its capacity unless only closed orders are left in it.
            var use: [Int64: Int] = [:]
            for o in s.orders where o.slotStart != nil && o.state != .cancelled { use[o.slotStart! / length, default: 0] += Int(o.units) }
            for (slot, used) in use where used > w.capacity(ofSlot: slot, default: capacity) {
                #expect(committed(s, depot: "main", slot: slot * length).isEmpty, "step \(step): slot \(slot) holds \(used) with open orders")
            }
            // Queued orders: plain first fit in service order beyond the horizon, under per-slot capacity.
            let horizonEnd = w.base.now.seconds / length + 3
            for view in try s.queue(depot: "main", limit: 10_000, after: nil) {
                var slot = horizonEnd
                if let nb = view.order.notBefore { slot = max(slot, (nb.milliseconds + length * 1000 - 1) / (length * 1000)) }
                let units = Int(view.order.units)
                while use[slot, default: 0] + units > w.capacity(ofSlot: slot, default: capacity) { slot += 1 }
                use[slot, default: 0] += units
                #expect(view.slotStart == slot * length, "step \(step): \(view.order.orderID) projected to \(String(describing: view.slotStart)), first fit says \(slot * length)")
            }
            // The incrementally kept projection equals one computed from scratch.
            var fresh = s
            fresh.invalidateProjection("main")
            #expect(try fresh.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil) == s.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil))
        }
        #expect((kinds["capacity"] ?? 0) > 20)
        #expect((kinds["retry"] ?? 0) > 10)
        #expect(movedTotal > 0)
    }

    @Test(arguments: [11, 12, 13] as [UInt64])
    func complaintsChangeNothingUnderCapacityChangesAndRetries(seed: UInt64) {
        var with = Scheduler(config: makeConfig(capacity: 5), now: t0)
        var without = Scheduler(config: makeConfig(capacity: 5), now: t0)
        var w1 = PromiseWorkload(seed: seed, applyComplaints: true)
        var w2 = PromiseWorkload(seed: seed, applyComplaints: false)
        var complaints = 0
        for _ in 0..<300 {
            if w1.step(&with) == "complain" { complaints += 1 }
            _ = w2.step(&without)
        }
        #expect(complaints > 10)
        for (a, b) in zip(with.orders, without.orders) {
            var a2 = a
            a2.complaints = b.complaints
            #expect(a2 == b)
        }
        #expect(try! with.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil)
            == without.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil))
    }

    @Test(arguments: [21, 22] as [UInt64])
    func restoringGivesTheSameStateAfterCapacityChangesAndRetries(seed: UInt64) throws {
        var s = Scheduler(config: makeConfig(capacity: 5), now: t0)
        var w = PromiseWorkload(seed: seed)
        var stored: [CapacityChange] = []
        for _ in 0..<200 {
            _ = w.step(&s)
            stored += s.drainChanges().capacityChanges
        }
        var r = try expectSameAfterRestart(&s, capacityChanges: stored, now: w.base.now)
        #expect(r.status() == s.status())
    }
}
