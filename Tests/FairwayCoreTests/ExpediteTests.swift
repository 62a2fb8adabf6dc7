@testable import FairwayCore
import Testing

/// Units of expedited orders in each slot (committed or projected), from the
/// public answers, by depot and slot start.
private func expeditedUse(_ s: inout Scheduler) -> [String: [Int64: Int]] {
    var use: [String: [Int64: Int]] = [:]
    for o in s.orders where o.expedited && o.state != .cancelled {
        guard let start = try! s.order(o.orderID).slotStart else { continue }
        use[o.depot, default: [:]][start, default: 0] += Int(o.units)
    }
    return use
}

/// Every queued order's projected slot start, by id.
private func projected(_ s: inout Scheduler) -> [String: Int64] {
    var slots: [String: Int64] = [:]
    for d in s.config.depots {
        for v in try! s.queue(depot: d.name, limit: 10_000, after: nil) { slots[v.order.orderID] = v.slotStart! }
    }
    return slots
}

@Suite struct ExpediteTests {
    @Test(arguments: [(1, 10), (2, 25), (3, 50), (4, 0), (5, 100), (6, 10)] as [(UInt64, Int)])
    func expeditesKeepTheBudgetNeverMoveAPromiseAndDryRunsAnswerTheSame(seed: UInt64, budget: Int) {
        var config = makeConfig(capacity: 8, horizon: 2, lead: 1, depots: ["main", "south"])
        config.expediteBudget = budget
        var s = Scheduler(config: config, now: t0)
        var w = RandomWorkload(seed: seed)
        var expedited = 0
        var refused = 0
        for step in 0..<250 {
            if w.chance(25), let id = w.pickQueued(s) {
                _ = s.drainChanges()
                let promises = Dictionary(uniqueKeysWithValues: s.orders.filter { $0.state == .committed }.map { ($0.orderID, $0.slotStart!) })
                let before = projected(&s)
                let counts = Dictionary(uniqueKeysWithValues: s.orders.map { ($0.orderID, $0.displaced) })
                let ordersBefore = s.orders
                let dry = Result { () throws(FairwayError) in try s.whatIfExpedite(orderID: id, reason: "test", now: w.now, actor: "t") }
                #expect(s.orders == ordersBefore, "step \(step): a dry run changed an order")
                #expect(s.drainChanges().isEmpty, "step \(step): a dry run left changes")
                var copy = s
                let real = Result { () throws(FairwayError) in try s.expedite(orderID: id, reason: "test", now: w.now, actor: "t") }
                let again = Result { () throws(FairwayError) in try copy.expedite(orderID: id, reason: "test", now: w.now, actor: "t") }
                #expect(dry == real, "step \(step): the dry run answered otherwise")
                #expect(again == real, "step \(step)")
                switch real {
                case .success(let answer):
                    expedited += 1
                    #expect(answer.order.order.expedited)
                    // No promise moved.
                    for (orderID, start) in promises { #expect(s.storedOrder(orderID)!.slotStart == start, "step \(step): \(orderID) moved") }
                    // Whom it displaced, from the public answers; each counts it once.
                    let after = projected(&s)
                    let later = before.filter { old in old.key != id && after[old.key].map { $0 > old.value } ?? false }
                    #expect(answer.displacement.count == later.count, "step \(step)")
                    #expect(Set(answer.displacement.orders.map(\.orderID)) == Set(later.keys), "step \(step)")
                    for o in s.orders where o.orderID != id {
                        #expect(o.displaced == counts[o.orderID]! + (later[o.orderID] != nil ? 1 : 0), "step \(step): \(o.orderID)")
                    }
                    #expect(answer.budgetUsed <= answer.budgetUnits)
                case .failure(let error):
                    refused += 1
                    #expect(error.code == .overBudget, "step \(step): \(error)")
                    #expect(s.orders == ordersBefore, "step \(step): a refused expedite changed an order")
                }
            } else {
                w.step(&s)
            }
            // Never over capacity, and the incrementally kept projection
            // (pins included) equals one computed from scratch.
            let slots = try! s.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil)
            for slot in slots where slot.used > slot.capacity { Issue.record("step \(step): slot \(slot.start) over capacity") }
            var fresh = s
            for d in s.config.depots { fresh.invalidateProjection(d.name) }
            #expect(try! fresh.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil) == slots, "step \(step): projection drifted")
            // The budget holds in every slot.
            for (depot, slots) in expeditedUse(&s) {
                let capacity = s.config.depot(named: depot)!.capacity
                let units = budget == 0 ? 0 : max(1, capacity * budget / 100)
                for (start, used) in slots {
                    #expect(used <= units, "step \(step): slot \(start) of \(depot) holds \(used) expedited units, budget \(units)")
                }
            }
        }
        #expect(expedited + refused > 20)
        if budget == 0 { #expect(expedited == 0) } else { #expect(expedited > 5) }
    }

    @Test func anExpediteTakesTheFirstSlotWithBudgetAndTheLedgerKeepsIt() throws {
        // Capacity 10, budget 20%: 2 expedited units per slot.
        var config = makeConfig(capacity: 10, horizon: 1, lead: 1)
        config.expediteBudget = 20
        var s = Scheduler(config: config, now: t0)
        _ = try s.submit((0..<40).map { sub("S-\($0)", "S-\($0)") }, now: t0, actor: "t")
        let b = t0.seconds / 3600 + 1  // the first bookable slot (promised, full)
        let finishTag = s.storedOrder("S-39")!.tag
        let first = try s.expedite(orderID: "S-39", reason: "hospital", now: t0, actor: "uid=0(root)")
        #expect(first.order.order.tag < 0)  // its expedite key while it waits
        #expect(first.order.slotStart == (b + 1) * 3600)
        #expect(first.order.position == 0)
        #expect(first.budgetUnits == 2 && first.budgetUsed == 1)
        // Every order of that slot and after, up to S-39's old one, moves one order later: 10 per slot...
        #expect(first.displacement.count > 0)
        #expect(try s.order(first.displacement.orders[0].orderID).order.displaced == 1)
        let second = try s.expedite(orderID: "S-38", reason: "hospital too", now: t0, actor: "uid=0(root)")
        #expect(second.order.slotStart == (b + 1) * 3600)
        #expect(second.order.position == 1)  // behind the first expedite
        // The slot's budget is used up: the third goes one slot later.
        let third = try s.expedite(orderID: "S-37", reason: "and a third", now: t0, actor: "uid=0(root)")
        #expect(third.order.slotStart == (b + 2) * 3600)
        // A committed order cannot be expedited; nothing before a slot with budget: over_budget.
        #expect(throws: FairwayError.self) { try s.expedite(orderID: "S-0", reason: "x", now: t0, actor: "t") }
        #expect(s.expediteLedger(from: nil, to: nil).map(\.orderID) == ["S-39", "S-38", "S-37"])
        #expect(s.expediteLedger(from: nil, to: nil)[0].displacedCount == first.displacement.count)
        #expect(s.expediteLedger(from: t0.adding(seconds: 1), to: nil).isEmpty)
        // The clock commits them into their slot in turn, at the head of the queue.
        s.tick(now: t0.adding(seconds: 3600))
        #expect(s.storedOrder("S-39")!.state == .committed)
        #expect(s.storedOrder("S-39")!.slotStart == (b + 1) * 3600)
        #expect(s.storedOrder("S-39")!.tag == finishTag)  // its finish tag back, as stored
    }

    @Test func withNoBudgetEveryExpediteIsOverBudgetAndChangesNothing() throws {
        var config = makeConfig(capacity: 10, horizon: 1, lead: 1)
        config.expediteBudget = 0
        var s = Scheduler(config: config, now: t0)
        _ = try s.submit((0..<30).map { sub("S-\($0)", "S-\($0)") }, now: t0, actor: "t")
        _ = s.drainChanges()
        let before = s.orders
        let refused = Result { () throws(FairwayError) in try s.expedite(orderID: "S-29", reason: "x", now: t0, actor: "t") }
        guard case .failure(let error) = refused else {
            Issue.record("expected over_budget, got \(refused)")
            return
        }
        #expect(error.code == .overBudget)
        #expect(error.message.contains("expedite-budget = 0%"), "\(error.message)")
        #expect(s.orders == before)
        #expect(s.drainChanges().isEmpty)
        #expect(throws: FairwayError.self) { try s.expedite(orderID: "S-29", reason: "", now: t0, actor: "t") }
        #expect(throws: FairwayError.self) { try s.expedite(orderID: "NOPE", reason: "x", now: t0, actor: "t") }
    }
}

extension RandomWorkload {
    /// A random queued order, if any.
    mutating func pickQueued(_ s: Scheduler) -> String? {
        let queued = s.orders.filter { $0.state == .queued }
        return queued.isEmpty ? nil : pick(queued).orderID
    }
}
