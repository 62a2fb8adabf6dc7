@testable import FairwayCore
import Testing

/// The projection as the scheduler keeps it (incrementally: placements
/// undone from a changed rank, checkpoints restored, first fit's search
/// points carried from one placement to the next) against a straightforward
/// first fit computed from scratch, after every step of random workloads:
/// several depots, customers of one size each (ties in finish tags),
/// `not_before`, capacity changes beyond the horizon, expedites, retries.
struct ProjectionReferenceTests {
    /// Each queued order's slot by plain first fit in service order: from the
    /// horizon's end (or its `not_before`, or its expedite's slot), the first
    /// slot whose capacity, less committed and earlier projected units, holds it;
    /// for an expedited order at the head, also with expedite budget left
    /// (`budgetPercent` of the slot's capacity, at least 1, less the units of
    /// expedited orders committed or projected there).
    static func referenceSlots(_ s: Scheduler, budgetPercent: Int) -> [String: Int64] {
        var slots: [String: Int64] = [:]
        for (name, d) in s.depots {
            let end = d.bookable + Int64(s.config.commitHorizon)
            var use: [Int64: Int] = [:]
            var expedited: [Int64: Int] = [:]
            for (slot, book) in d.book {
                use[slot] = book.used
                for i in book.orders where s.orders[Int(i)].expedited { expedited[slot, default: 0] += Int(s.orders[Int(i)].units) }
            }
            func budget(_ slot: Int64) -> Int { max(1, d.capacity(ofSlot: slot) * budgetPercent / 100) }
            d.queue.forEach { key in
                let o = s.orders.order(at: key.index)
                let units = Int(o.units)
                var slot = end
                if let nb = o.notBefore { slot = max(slot, d.firstSlot(notBefore: nb)) }
                if let pin = d.pins[key.index] { slot = max(slot, pin) }
                let head = key.tag < -4e15  // an expedite key
                let binds = head && units <= max(1, d.capacity * budgetPercent / 100)
                while d.capacity(ofSlot: slot) - use[slot, default: 0] < units
                    || binds && expedited[slot, default: 0] + units > budget(slot)
                {
                    slot += 1
                }
                if head { expedited[slot, default: 0] += units }
                use[slot, default: 0] += Int(o.units)
                slots[o.orderID] = slot * d.slotLength
                return true
            }
            _ = name
        }
        return slots
    }

    /// Every queued order's slot as the scheduler answers it now.
    static func answeredSlots(_ s: inout Scheduler) -> [String: Int64] {
        var slots: [String: Int64] = [:]
        for d in s.config.depots {
            var after: String?
            while true {
                let page = try! s.queue(depot: d.name, limit: 10_000, after: after)
                for v in page { slots[v.order.orderID] = v.slotStart! }
                guard let last = page.last else { break }
                after = last.order.orderID
            }
        }
        return slots
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func theKeptProjectionIsPlainFirstFit(seed: UInt64) throws {
        var config = makeConfig(capacity: 10, horizon: 2, lead: 1, tiers: [("gold", 4), ("standard", 2), ("basic", 1)],
                                depots: ["north", "south", "east"])
        config.expediteBudget = 30
        config.limits.maxBatch = 1000
        var s = Scheduler(config: config, now: t0)
        var rng = SeededRandom(seed: seed)
        var now = t0
        var next = 0
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        for step in 0..<250 {
            switch pick(100) {
            case 0..<45:
                // Customers of one size each (1, 2 or 3 units by customer),
                // so many orders tie in finish tags; some with a not_before.
                var batch: [OrderSubmission] = []
                for _ in 0..<(1 + pick(40)) {
                    next += 1
                    let c = pick(25)
                    var o = sub("O-\(next)", "C-\(c)", units: 1 + c % 3, tier: ["gold", "standard", "basic"][c % 3],
                                 depot: config.depots[c % 3].name)
                    if pick(8) == 0 { o.notBefore = now.adding(seconds: Int64(pick(30)) * 3600) }
                    batch.append(o)
                }
                _ = try s.submit(batch, now: now, actor: "t")
            case 45..<55:
                // A capacity change, often beyond the horizon.
                let depot = config.depots[pick(3)].name
                let from = (now.seconds / 3600 + Int64(pick(20))) * 3600
                let to = from + Int64(1 + pick(6)) * 3600
                _ = try? s.setCapacity(
                    depot: depot, from: Timestamp(seconds: from), to: Timestamp(seconds: to), capacity: pick(4) == 0 ? nil : 3 + pick(10),
                    reason: "r\(step)", now: now, actor: "t")
            case 55..<65:
                if let o = s.orders.filter({ $0.state == .queued }).randomElement(using: &rng) {
                    _ = try? s.expedite(orderID: o.orderID, reason: "urgent", now: now, actor: "t")
                }
            case 65..<72:
                if let o = s.orders.filter({ $0.state.isOpen }).randomElement(using: &rng) {
                    _ = try s.close(orderID: o.orderID, as: pick(2) == 0 ? .cancelled : .delivered, reason: nil, now: now, actor: "t")
                }
            case 72..<78:
                if let o = s.orders.filter({ $0.state == .committed }).randomElement(using: &rng) {
                    _ = try s.fail(orderID: o.orderID, reason: config.failureReasons[0], note: nil, at: nil, retry: true, now: now, actor: "t")
                }
            case 78..<85:
                // Lookups in the middle of the queue: projections placed partly.
                if let o = s.orders.filter({ $0.state == .queued }).randomElement(using: &rng) { _ = try s.order(o.orderID) }
            default:
                now = now.adding(seconds: Int64(pick(3 * 3600)))
                s.tick(now: now)
            }
            let reference = Self.referenceSlots(s, budgetPercent: config.expediteBudget)
            guard pick(3) == 0 else {
                // A few lookups only, so the projection stays placed in part
                // when the next change comes.
                for o in s.orders.filter({ $0.state == .queued }).shuffled(using: &rng).prefix(3) {
                    let slot = try s.order(o.orderID).slotStart
                    #expect(slot == reference[o.orderID], "seed \(seed) step \(step): \(o.orderID)")
                }
                continue
            }
            let answered = Self.answeredSlots(&s)
            #expect(answered.count == reference.count, "seed \(seed) step \(step)")
            for (id, slot) in reference where answered[id] != slot {
                Issue.record("seed \(seed) step \(step): \(id) answered \(answered[id].map(String.init) ?? "nil"), first fit says \(slot)")
                break
            }
        }
    }
}
