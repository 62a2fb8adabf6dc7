import FairwayCore
import Testing

@Suite struct FairnessTests {
    @Test func aBatchOfOneOrderCustomersServesEveryHigherTierFirst() throws {
        var s = Scheduler(config: makeConfig(capacity: 7, horizon: 2, tiers: [("platinum", 8), ("gold", 4), ("standard", 2)]), now: t0)
        var rng = SeededRandom(seed: 42)
        let tiers = ["platinum", "gold", "standard"]
        var batch: [OrderSubmission] = []
        for i in 0..<120 { batch.append(sub("SO-\(i)", "C-\(i)", tier: tiers[Int(rng.next() % 3)])) }
        _ = try s.submit(batch, now: t0, actor: "t")
        let flat = s.flattenedSchedule()
        #expect(flat.count == 120)
        let rank = { (id: String) in tiers.firstIndex(of: s.storedOrder(id)!.tier)! }
        for (a, b) in zip(flat, flat.dropFirst()) {
            #expect(rank(a) <= rank(b), "\(a) (\(s.storedOrder(a)!.tier)) before \(b) (\(s.storedOrder(b)!.tier))")
        }
        // Committed first (the horizon), then projected: all 120 are placed.
        #expect(s.orders.filter { $0.state == .committed }.count == 14)
    }

    @Test(arguments: [(8, 2), (4, 2), (3, 1), (5, 5)])
    func twoBackloggedCustomersShareWithinTheBound(weights: (Int, Int)) throws {
        // Capacity 1 unit per slot: commit order is service order.
        let config = makeConfig(capacity: 5, slotLength: 60, horizon: 1, lead: 0, tiers: [("a", weights.0), ("b", weights.1)])
        var s = Scheduler(config: config, now: t0)
        var rng = SeededRandom(seed: 7)
        var batch: [OrderSubmission] = []
        for i in 0..<150 {
            batch.append(sub("A-\(i)", "A", units: Int(rng.next() % 5) + 1, tier: "a"))
            batch.append(sub("B-\(i)", "B", units: Int(rng.next() % 5) + 1, tier: "b"))
        }
        _ = try s.submit(batch, now: t0, actor: "t")
        // Service order: the queue's order by finish tag (plus what was committed).
        let committed = s.orders.filter { $0.state == .committed }.sorted { $0.tag < $1.tag }
        let queued = try s.queue(depot: nil, limit: 10_000, after: nil).map(\.order)
        let service = committed + queued
        let lmax = 5.0
        let bound = lmax / Double(weights.0) + lmax / Double(weights.1)
        var wa = 0.0, wb = 0.0
        for (n, o) in service.enumerated() {
            if o.customerID == "A" { wa += Double(o.units) } else { wb += Double(o.units) }
            // Only while both are still backlogged.
            let aLeft = service[(n + 1)...].contains { $0.customerID == "A" }
            let bLeft = service[(n + 1)...].contains { $0.customerID == "B" }
            guard aLeft && bLeft else { break }
            let gap = abs(wa / Double(weights.0) - wb / Double(weights.1))
            #expect(gap <= bound + 1e-9, "after \(n + 1) orders: A \(wa) units, B \(wb) units, gap \(gap) > \(bound)")
        }
    }

    @Test(arguments: [1, 2, 3])
    func aLowTierOrderUnderAStreamOfNewHighTierCustomersIsServedWithinTheBound(unitsLow: Int) throws {
        // Three units per one-minute slot, one promised slot, bookable now;
        // every slot, three new platinum customers with one unit each arrive:
        // the stream alone uses all the capacity.
        let config = makeConfig(capacity: 3, slotLength: 60, horizon: 1, lead: 0, tiers: [("platinum", 8), ("standard", 1)])
        var s = Scheduler(config: config, now: t0)
        var now = t0
        _ = try s.submit([sub("FILL", "F", units: 3, tier: "standard")], now: now, actor: "t")
        _ = try s.submit([sub("LOW", "L", units: unitsLow, tier: "standard")], now: now, actor: "t")
        #expect(try s.order("LOW").order.state == .queued)
        var i = 0
        while try s.order("LOW").order.state == .queued, i < 3000 {
            _ = try s.submit((0..<3).map { k in sub("P-\(i)-\(k)", "P-\(i)-\(k)", units: 1, tier: "platinum") }, now: now, actor: "t")
            i += 1
            now = now.adding(seconds: 60)
            s.tick(now: now)
        }
        let low = s.storedOrder("LOW")!
        #expect(low.state == .committed)
        let passedBy = s.orders.filter { $0.orderID.hasPrefix("P-") && $0.state == .committed && $0.slotStart! <= low.slotStart! }
        // Bound (docs/scheduling.md): with a units arriving per slot from new customers
        // of weight W, at most a * u * W / w units pass an order of u units and weight w,
        // plus one slot of capacity.
        let bound = 3 * unitsLow * 8 / 1 + 3
        #expect(passedBy.count <= bound, "\(passedBy.count) platinum units passed LOW (bound \(bound))")
        #expect(passedBy.count >= 3 * unitsLow * 8 - 3)
    }

    @Test func tagsIgnoreIdleTimeSoNobodyBanksCredit() throws {
        var s = Scheduler(config: makeConfig(capacity: 1, slotLength: 60, horizon: 1, lead: 0), now: t0)
        // A backlogged standard customer advances the virtual time.
        _ = try s.submit((0..<20).map { sub("B-\($0)", "B", tier: "standard") }, now: t0, actor: "t")
        var now = t0
        for _ in 0..<10 {
            now = now.adding(seconds: 60)
            s.tick(now: now)
        }
        let v = s.virtualTime(depot: "main")!
        #expect(v > 0)
        // A gold customer idle until now starts at the current virtual time.
        _ = try s.submit([sub("G-1", "G", tier: "gold")], now: now, actor: "t")
        #expect(s.storedOrder("G-1")!.tag == v + 1.0 / 8.0)
    }
}
