@testable import FairwayCore
import Testing

/// `PromiseWorkload` (orders, complaints, outcomes, clock, capacity changes,
/// retries) plus expedites, and retries of expedited orders.
struct ExpediteWorkload {
    var promise: PromiseWorkload
    var rng: SeededRandom
    /// The last expedite's answer, or the error it got.
    var lastExpedite: Result<ExpediteAnswer, FairwayError>?

    init(seed: UInt64) {
        promise = PromiseWorkload(seed: seed)
        rng = SeededRandom(seed: seed &* 104_729)
    }

    var now: Timestamp { promise.base.now }

    mutating func step(_ s: inout Scheduler) -> String {
        lastExpedite = nil
        promise.retried = []
        promise.lastAnswer = nil
        let roll = rng.next() % 100
        if roll < 15 {
            let queued = s.orders.filter { $0.state == .queued }
            guard !queued.isEmpty else { return "none" }
            let id = queued[Int(rng.next() % UInt64(queued.count))].orderID
            do {
                lastExpedite = .success(try s.expedite(orderID: id, reason: "urgent", now: now, actor: "test"))
            } catch {
                lastExpedite = .failure(error)
            }
            return "expedite"
        }
        if roll < 20 {
            let expedited = s.orders.filter { $0.expedited && $0.state == .committed }
            guard !expedited.isEmpty else { return "none" }
            let id = expedited[Int(rng.next() % UInt64(expedited.count))].orderID
            _ = try! s.fail(orderID: id, reason: "customer_absent", note: nil, at: nil, retry: true, now: now, actor: "test")
            promise.retried = [id]
            return "retry-expedited"
        }
        return promise.step(&s)
    }
}

@Suite struct ExpeditePropertyTests {
    static let capacity = 10
    static let percent = 40

    func config() -> FairwayConfig {
        var c = makeConfig(capacity: Self.capacity, horizon: 2, lead: 1)
        c.expediteBudget = Self.percent
        return c
    }

    func budget(_ capacity: Int) -> Int { max(1, capacity * Self.percent / 100) }

    /// Units of expedited orders per slot index: those holding a slot and
    /// the queued ones where the schedule projects them.
    func expeditedUnits(_ s: inout Scheduler, slotLength: Int64) throws -> [Int64: Int] {
        var units: [Int64: Int] = [:]
        for o in s.orders where o.expedited && o.slotStart != nil && o.state != .cancelled {
            units[o.slotStart! / slotLength, default: 0] += Int(o.units)
        }
        for view in try s.queue(depot: "main", limit: 10_000, after: nil) where view.order.expedited {
            units[view.slotStart! / slotLength, default: 0] += Int(view.order.units)
        }
        return units
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func expeditedUnitsStayWithinTheBudgetUnderCapacityChangesAndRetries(seed: UInt64) throws {
        var s = Scheduler(config: config(), now: t0)
        var w = ExpediteWorkload(seed: seed)
        let length = w.promise.base.slotLength
        var kinds: [String: Int] = [:]
        var honoured = 0
        var refused = 0
        var overAfterCut = 0
        var previous: [Int64: Int] = [:]
        for step in 0..<300 {
            let before = s
            let kind = w.step(&s)
            kinds[kind, default: 0] += 1
            switch w.lastExpedite {
            case .success(let answer):
                honoured += 1
                #expect(answer.budgetUsed <= answer.budgetUnits, "step \(step): \(answer)")
                #expect(answer.budgetUnits == budget(answer.slotCapacity))
            case .failure(let error):
                refused += 1
                #expect(error.code == .overBudget || error.code == .conflict, "step \(step): \(error)")
                #expect(Array(s.orders) == Array(before.orders), "step \(step): a refused expedite changed orders")
            case nil: break
            }
            // A committed order moves only through a capacity change (a retry takes it back to the queue).
            let moved = Set((w.promise.lastAnswer?.moved ?? []).map(\.orderID))
            for o in before.orders where o.state == .committed && !w.promise.retried.contains(o.orderID) {
                let after = s.storedOrder(o.orderID)!
                if after.state == .committed && after.slotStart != o.slotStart {
                    #expect(moved.contains(o.orderID), "step \(step) (\(kind)): \(o.orderID) moved")
                }
                #expect(after.state != .queued, "step \(step) (\(kind)): \(o.orderID) left its slot")
            }
            // Budget: no slot's expedited units above its budget, except
            // where a lowered capacity left committed ones (then they do not grow).
            let units = try expeditedUnits(&s, slotLength: length)
            let cut = w.promise.lastAnswer != nil ? w.promise.changes.last : nil
            for (slot, u) in units {
                let allowed = budget(w.promise.capacity(ofSlot: slot, default: Self.capacity))
                guard u > allowed else { continue }
                overAfterCut += 1
                let grew = u > previous[slot, default: 0]
                let cutHere = cut.map { $0.from <= slot && slot < $0.to } ?? false
                #expect(!grew, "step \(step) (\(kind)): slot \(slot) holds \(u) expedited units, budget \(allowed), was \(previous[slot, default: 0])")
                #expect(cutHere || u <= previous[slot, default: 0], "step \(step): slot \(slot) went over budget without a capacity cut")
            }
            previous = units
            // Queued orders: first fit in service order beyond the horizon,
            // expedited ones from their expedite's slot with budget left.
            var use: [Int64: Int] = [:]
            var expUse: [Int64: Int] = [:]
            for o in s.orders where o.slotStart != nil && o.state != .cancelled {
                use[o.slotStart! / length, default: 0] += Int(o.units)
                if o.expedited { expUse[o.slotStart! / length, default: 0] += Int(o.units) }
            }
            let ledger = s.expediteLedger(from: nil, to: nil)
            let horizonEnd = w.now.seconds / length + 3
            for view in try s.queue(depot: "main", limit: 10_000, after: nil) {
                let o = view.order
                var slot = horizonEnd
                if let nb = o.notBefore { slot = max(slot, (nb.milliseconds + length * 1000 - 1) / (length * 1000)) }
                let units = Int(o.units)
                if o.expedited {
                    let pin = ledger.last { $0.orderID == o.orderID }!.slotStart / length
                    slot = max(slot, pin)
                    while use[slot, default: 0] + units > w.promise.capacity(ofSlot: slot, default: Self.capacity)
                        || expUse[slot, default: 0] + units > budget(w.promise.capacity(ofSlot: slot, default: Self.capacity))
                    {
                        slot += 1
                    }
                    expUse[slot, default: 0] += units
                } else {
                    while use[slot, default: 0] + units > w.promise.capacity(ofSlot: slot, default: Self.capacity) { slot += 1 }
                }
                use[slot, default: 0] += units
                #expect(view.slotStart == slot * length, "step \(step) (\(kind)): \(o.orderID) projected to \(String(describing: view.slotStart)), reference \(slot * length)")
            }
            // `overdue` on an order and `status`'s count follow one rule.
            let overdue = try s.orders.map(\.orderID).filter { try s.order($0).overdue }.count
            #expect(s.status().overdue == overdue, "step \(step)")
            // The incrementally kept projection equals one computed from scratch.
            var fresh = s
            fresh.invalidateProjection("main")
            #expect(try fresh.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil) == s.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil))
        }
        #expect(honoured > 5 && refused > 0, "honoured \(honoured), refused \(refused)")
        #expect((kinds["capacity"] ?? 0) > 10 && (kinds["retry-expedited"] ?? 0) > 3, "\(kinds)")
    }

    @Test(arguments: [31, 32, 33] as [UInt64])
    func restoringGivesTheSameStateAfterExpeditesCapacityChangesAndRetries(seed: UInt64) throws {
        var s = Scheduler(config: config(), now: t0)
        var w = ExpediteWorkload(seed: seed)
        var stored: [CapacityChange] = []
        for _ in 0..<250 {
            _ = w.step(&s)
            stored += s.drainChanges().capacityChanges
        }
        #expect(s.expediteLedger(from: nil, to: nil).count > 5)
        try expectSameAfterRestart(&s, capacityChanges: stored, now: w.now)
    }

    /// A capacity cut that lowers a slot's budget under its committed
    /// expedited units moves no promise for the budget's sake; the slot then
    /// takes no new expedited order, and a promise the cut must move goes to
    /// a slot with budget left.
    @Test func aCutKeepsExpeditedPromisesAndTheSlotTakesNoMore() throws {
        var s = Scheduler(config: config(), now: t0)  // budget 4 of 10
        let length: Int64 = 3600
        _ = try s.submit((1...40).map { sub("SO-\($0)", "C-\($0 % 5)", units: 2) }, now: t0, actor: "test")
        let queued = s.orders.filter { $0.state == .queued }.map(\.orderID)
        let a = try s.expedite(orderID: queued[20], reason: "hospital", now: t0, actor: "test")
        let b = try s.expedite(orderID: queued[21], reason: "hospital", now: t0, actor: "test")
        let slot = a.order.slotStart! / length
        #expect(b.order.slotStart == slot * length && b.budgetUsed == 4 && b.budgetUnits == 4)
        // One slot later the horizon reaches it: both are promised there.
        let later = t0.adding(seconds: length)
        s.tick(now: later)
        #expect(s.storedOrder(a.order.order.orderID)?.state == .committed && s.storedOrder(b.order.order.orderID)?.state == .committed)
        #expect(s.storedOrder(b.order.order.orderID)?.slotStart == slot * length)
        // Cut it to 5: 5 units must go (3 promises of 2), and its budget falls to 2.
        let cut = try s.setCapacity(
            depot: "main", from: Timestamp(seconds: slot * length), to: Timestamp(seconds: (slot + 1) * length), capacity: 5,
            reason: "truck", now: later, actor: "test")
        #expect(cut.moved.count == 3)
        let inSlot = s.orders.filter { $0.slotStart == slot * length && $0.state == .committed }
        #expect(inSlot.reduce(0) { $0 + Int($1.units) } == 4)
        let expeditedThere = inSlot.filter(\.expedited).reduce(0) { $0 + Int($1.units) }
        #expect(expeditedThere <= 4)
        // Every moved expedited promise went to a slot within its budget.
        for m in cut.moved where s.storedOrder(m.orderID)!.expedited {
            let there = s.orders.filter { $0.slotStart == m.toSlot && $0.expedited && $0.state != .cancelled }
            #expect(there.reduce(0) { $0 + Int($1.units) } <= budget(s.capacity(depot: "main", slot: m.toSlot / length)!))
        }
        // The cut slot takes no new expedited order while it is over its budget.
        let c = try s.expedite(orderID: queued[22], reason: "hospital", now: later, actor: "test")
        if expeditedThere > 2 { #expect(c.order.slotStart != slot * length) }
        #expect(c.budgetUsed <= c.budgetUnits)
    }
}
