@testable import FairwayCore
import Testing

/// Random operation sequences against the scheduler, checking the contract's
/// invariants after every step.
struct RandomWorkload {
    var rng: SeededRandom
    var now = t0
    var nextOrder = 0
    let customers: [(String, String)]  // (id, tier)
    let applyComplaints: Bool
    let slotLength: Int64
    var allowReloadAndRestart = false

    init(seed: UInt64, applyComplaints: Bool = true, slotLength: Int64 = 3600) {
        rng = SeededRandom(seed: seed)
        var r = SeededRandom(seed: seed ^ 0xC0FFEE)
        customers = (0..<30).map { i in ("C-\(i)", ["gold", "standard"][Int(r.next() % 2)]) }
        self.applyComplaints = applyComplaints
        self.slotLength = slotLength
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

    /// Applies one random operation; returns a word for what it did.
    @discardableResult
    mutating func step(_ s: inout Scheduler) -> String {
        let roll = rng.next() % 100
        switch roll {
        case 0..<40:
            let n = Int(rng.next() % 12) + 1
            var batch: [OrderSubmission] = []
            for _ in 0..<n {
                nextOrder += 1
                let (c, tier) = pick(customers)
                let units = Int(rng.next() % 4) + 1
                var o = sub("SO-\(nextOrder)", c, units: units, tier: chance(80) ? tier : nil)
                if chance(15) { o.notBefore = now.adding(seconds: Int64(rng.next() % 6) * slotLength) }
                if chance(20) { o.deadline = now.adding(seconds: Int64(rng.next() % 8) * slotLength) }
                batch.append(o)
            }
            if chance(10), nextOrder > 3 {  // resubmit an old order unchanged: a duplicate
                let old = "SO-\(Int(rng.next() % UInt64(nextOrder - 1)) + 1)"
                if let stored = s.storedOrder(old) {
                    batch.append(OrderSubmission(
                        orderID: stored.orderID, customerID: stored.customerID, units: Int(stored.units),
                        depot: stored.depot, notBefore: stored.notBefore, deadline: stored.deadline, notes: stored.notes))
                }
            }
            _ = try! s.submit(batch, now: now, actor: "test")
            return "submit"
        case 40..<55:
            guard nextOrder > 0 else { return "none" }
            let id = "SO-\(Int(rng.next() % UInt64(nextOrder)) + 1)"
            if applyComplaints { _ = try? s.complain(orderID: id, channel: "phone", note: nil, now: now, actor: "test") }
            return "complain"
        case 55..<65:
            guard let id = randomOpen(s) else { return "none" }
            _ = try! s.close(orderID: id, as: .delivered, reason: nil, now: now, actor: "test")
            return "deliver"
        case 65..<72:
            guard let id = randomOpen(s) else { return "none" }
            _ = try! s.close(orderID: id, as: .cancelled, reason: "test", now: now, actor: "test")
            return "cancel"
        case 72..<75 where allowReloadAndRestart:
            // Reload with another capacity (never below an order's units) and horizon.
            var config = s.config
            config.depots[0].capacity = [4, 5, 6, 8][Int(rng.next() % 4)]
            config.commitHorizon = Int(rng.next() % 3) + 1
            try! s.reload(config, now: now, actor: "test")
            return "reload"
        case 75..<78 where allowReloadAndRestart:
            // Restart: rebuild from what the store would hold.
            var tiers: [String: String] = [:]
            for o in s.orders { tiers[o.customerID] = s.customerTier(o.customerID) }
            var vts: [String: Double] = [:]
            for d in s.config.depots { vts[d.name] = s.virtualTime(depot: d.name) }
            _ = s.drainChanges()
            s = try! Scheduler(config: s.config, restoring: .init(orders: s.orders, customerTiers: tiers, virtualTimes: vts), now: now)
            return "restart"
        default:
            now = now.adding(seconds: Int64(rng.next() % UInt64(slotLength * 2)))
            s.tick(now: now)
            return "tick"
        }
    }

    mutating func randomOpen(_ s: Scheduler) -> String? {
        let open = s.orders.filter { $0.state.isOpen }
        guard !open.isEmpty else { return nil }
        return pick(open).orderID
    }
}

/// Checks the contract's invariants; records a failure per broken one.
struct InvariantChecker {
    var promises: [String: Int64] = [:]
    var settledPositions: [String: Int] = [:]

    var largestCapacity = 0

    mutating func check(_ s: inout Scheduler, step: Int, now: Timestamp, sourceLocation: SourceLocation = #_sourceLocation) {
        // Capacity: committed units per slot never exceed the largest capacity
        // configured (a reload may lower it under existing promises), and a
        // slot over its capacity takes no projected orders.
        largestCapacity = max(largestCapacity, s.config.depots.map(\.capacity).max()!)
        for (depot, slots) in s.committedUse() {
            for (start, used) in slots where start >= 0 {
                #expect(used <= largestCapacity, "step \(step): slot \(start) of \(depot) holds \(used)", sourceLocation: sourceLocation)
            }
        }
        let slots = try! s.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil)
        for slot in slots where slot.used > slot.capacity {
            let projected = slot.orderIDs.filter { s.storedOrder($0)!.state == .queued }
            #expect(projected.isEmpty, "step \(step): slot \(slot.start) is over capacity and still takes \(projected)", sourceLocation: sourceLocation)
        }
        // The incrementally kept projection equals one computed from scratch.
        var fresh = s
        for d in s.config.depots { fresh.invalidateProjection(d.name) }
        #expect(try! fresh.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil) == slots, "step \(step): projection drifted", sourceLocation: sourceLocation)
        // Each queued order's projected slot is plain first fit in service
        // order beyond the horizon, computed here independently.
        let depot = s.config.depots[0]
        let length = depot.slotLength
        let horizonEnd = now.seconds / length + Int64(s.config.leadSlots + s.config.commitHorizon)
        var use: [Int64: Int] = [:]
        for (start, used) in s.committedUse()[depot.name] ?? [:] { use[start / length] = used }
        for view in try! s.queue(depot: depot.name, limit: 10_000, after: nil) {
            var slot = horizonEnd
            if let nb = view.order.notBefore { slot = max(slot, (nb.milliseconds + length * 1000 - 1) / (length * 1000)) }
            let units = Int(view.order.units)
            while use[slot, default: 0] + units > depot.capacity { slot += 1 }
            use[slot, default: 0] += units
            #expect(view.slotStart == slot * length, "step \(step): \(view.order.orderID) projected to \(String(describing: view.slotStart)), first fit says \(slot * length)", sourceLocation: sourceLocation)
        }
        // Promises never move.
        for o in s.orders {
            if let promised = promises[o.orderID] {
                if o.state == .committed || o.state == .delivered || o.state == .failed {
                    #expect(o.slotStart == promised, "step \(step): \(o.orderID) moved from \(promised) to \(String(describing: o.slotStart))", sourceLocation: sourceLocation)
                }
            } else if o.state == .committed, let start = o.slotStart {
                promises[o.orderID] = start
            }
        }
        // Service order is ascending (tag, arrival); bounded waiting.
        let queue = try! s.queue(depot: "main", limit: 10_000, after: nil)
        let vt = s.virtualTime(depot: "main")!
        for (i, view) in queue.enumerated() {
            #expect(view.position == i, sourceLocation: sourceLocation)
            if i > 0 {
                let prev = queue[i - 1].order
                #expect(prev.tag < view.order.tag || (prev.tag == view.order.tag && prev.seq < view.order.seq), sourceLocation: sourceLocation)
            }
            if let settled = settledPositions[view.order.orderID] {
                #expect(i <= settled, "step \(step): \(view.order.orderID) went from place \(settled) to \(i) after V reached its tag", sourceLocation: sourceLocation)
            }
            if vt >= view.order.tag { settledPositions[view.order.orderID] = i }
        }
        // Counts agree with states.
        let status = s.status()
        #expect(status.queued == s.orders.filter { $0.state == .queued }.count, sourceLocation: sourceLocation)
        #expect(status.committed == s.orders.filter { $0.state == .committed }.count, sourceLocation: sourceLocation)
        #expect(status.delivered == s.orders.filter { $0.state == .delivered }.count, sourceLocation: sourceLocation)
    }
}

@Suite struct SchedulerPropertyTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func invariantsHoldUnderRandomOperations(seed: UInt64) {
        var s = Scheduler(config: makeConfig(capacity: 6, horizon: 2, lead: 1), now: t0)
        var w = RandomWorkload(seed: seed)
        var checker = InvariantChecker()
        for step in 0..<300 {
            w.step(&s)
            checker.check(&s, step: step, now: w.now)
        }
        #expect(s.orders.count > 100)
    }

    @Test(arguments: [31, 32, 33, 34, 35, 36] as [UInt64])
    func invariantsHoldAcrossReloadsAndRestarts(seed: UInt64) {
        var s = Scheduler(config: makeConfig(capacity: 6, horizon: 2, lead: 1), now: t0)
        var w = RandomWorkload(seed: seed)
        w.allowReloadAndRestart = true
        var checker = InvariantChecker()
        var kinds: [String: Int] = [:]
        for step in 0..<400 {
            kinds[w.step(&s), default: 0] += 1
            checker.check(&s, step: step, now: w.now)
        }
        #expect((kinds["reload"] ?? 0) > 3)
        #expect((kinds["restart"] ?? 0) > 3)
    }

    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func complaintsChangeNothingButCounts(seed: UInt64) {
        var with = Scheduler(config: makeConfig(capacity: 5), now: t0)
        var without = Scheduler(config: makeConfig(capacity: 5), now: t0)
        var w1 = RandomWorkload(seed: seed, applyComplaints: true)
        var w2 = RandomWorkload(seed: seed, applyComplaints: false)
        var complaints = 0
        for _ in 0..<300 {
            if w1.step(&with) == "complain" { complaints += 1 }
            w2.step(&without)
        }
        #expect(complaints > 20)
        #expect(with.orders.count == without.orders.count)
        for (a, b) in zip(with.orders, without.orders) {
            var a2 = a
            a2.complaints = b.complaints
            #expect(a2 == b)
        }
        #expect(try! with.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil)
            == without.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil))
        let qa = try! with.queue(depot: nil, limit: 10_000, after: nil).map(\.order.orderID)
        let qb = try! without.queue(depot: nil, limit: 10_000, after: nil).map(\.order.orderID)
        #expect(qa == qb)
        #expect(with.orders.reduce(0) { $0 + Int($1.complaints) } > 0)
    }

    @Test(arguments: [21, 22, 23] as [UInt64])
    func restoringFromStoredOrdersGivesTheSameState(seed: UInt64) {
        var s = Scheduler(config: makeConfig(capacity: 5), now: t0)
        var w = RandomWorkload(seed: seed)
        for _ in 0..<200 { w.step(&s) }
        var tiers: [String: String] = [:]
        for o in s.orders { tiers[o.customerID] = (try? s.customer(o.customerID).tier) ?? o.tier }
        let restored = Scheduler.Restored(
            orders: s.orders, customerTiers: tiers, virtualTimes: ["main": s.virtualTime(depot: "main")!])
        var r = try! Scheduler(config: s.config, restoring: restored, now: w.now)
        #expect(r.drainChanges().isEmpty)
        #expect(try! r.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil)
            == s.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil))
        #expect(r.status() == s.status())
        for c in Set(s.orders.map(\.customerID)) { #expect(try! r.customer(c) == s.customer(c)) }
    }
}
