@testable import FairwayCore
import Testing

extension RandomWorkload {
    /// A random batch for `submit`: new orders for either depot, sometimes a
    /// stored order again (a duplicate) or changed (a conflict), sometimes
    /// an invalid one.
    mutating func randomBatch(_ s: Scheduler, depots: [String]) -> [OrderSubmission] {
        var batch: [OrderSubmission] = []
        for _ in 0..<(Int(rng.next() % 15) + 1) {
            nextOrder += 1
            let (c, tier) = pick(customers)
            var o = sub("SO-\(nextOrder)", c, units: Int(rng.next() % 4) + 1, tier: chance(80) ? tier : nil, depot: pick(depots))
            if chance(15) { o.notBefore = now.adding(seconds: Int64(rng.next() % 6) * slotLength) }
            if chance(20) { o.deadline = now.adding(seconds: Int64(rng.next() % 8) * slotLength) }
            batch.append(o)
        }
        if chance(15), nextOrder > 20, let stored = s.storedOrder("SO-\(Int(rng.next() % UInt64(nextOrder - 16)) + 1)") {
            var again = OrderSubmission(
                orderID: stored.orderID, customerID: stored.customerID, units: Int(stored.units), depot: stored.depot,
                notBefore: stored.notBefore, deadline: stored.deadline, notes: stored.notes)
            if chance(30) { again.units = Int(stored.units % 4) + 1 }  // other content: a conflict
            batch.append(again)
        }
        if chance(5) { batch.append(sub("BAD-\(nextOrder)", "C-0", units: 99)) }
        return batch
    }
}

/// Where every queued order of `s` is projected, in service order, depot by depot.
private func projectedSlots(_ s: inout Scheduler) -> [(id: String, tier: String, slot: Int64)] {
    s.config.depots.flatMap { d in
        (try! s.queue(depot: d.name, limit: 10_000, after: nil)).map { ($0.order.orderID, $0.order.tier, $0.slotStart!) }
    }
}

@Suite struct WhatIfTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func aDryRunAnswersWhatTheRealSubmitDoesAndChangesNothing(seed: UInt64) {
        let depots = ["main", "south"]
        var s = Scheduler(config: makeConfig(capacity: 6, horizon: 2, lead: 1, depots: depots), now: t0)
        var w = RandomWorkload(seed: seed)
        var compared = 0
        var displacedSeen = 0
        for step in 0..<200 {
            w.step(&s)
            guard step % 3 == 0 else { continue }
            _ = s.drainChanges()
            let batch = w.randomBatch(s, depots: depots)
            let ordersBefore = s.orders
            let scheduleBefore = try! s.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil)
            let statusBefore = s.status()
            let slotsBefore = projectedSlots(&s)

            let dry = Result { () throws(FairwayError) in try s.whatIfSubmit(batch, now: w.now, actor: "test") }

            // Nothing changed.
            #expect(s.drainChanges().isEmpty, "step \(step)")
            #expect(s.orders == ordersBefore, "step \(step)")
            #expect(try! s.schedule(depot: nil, from: Timestamp(seconds: 0), to: nil) == scheduleBefore, "step \(step)")
            #expect(s.status() == statusBefore, "step \(step)")

            // The real submit on an identical copy answers the same.
            var real = s
            let done = Result { () throws(FairwayError) in try real.submit(batch, now: w.now, actor: "test") }
            switch (dry, done) {
            case (.failure(let a), .failure(let b)):
                #expect(a == b, "step \(step)")
                continue
            case (.success(let whatIf), .success(let results)):
                #expect(whatIf.results == results, "step \(step)")
                compared += 1
                // Whom it displaced, from the public answers before and after.
                let after = Dictionary(uniqueKeysWithValues: projectedSlots(&real).map { ($0.id, $0.slot) })
                let later = slotsBefore.filter { old in after[old.id].map { $0 > old.slot } ?? false }
                #expect(whatIf.displacement.count == later.count, "step \(step)")
                #expect(whatIf.displacement.orders == later.map {
                    DisplacedOrder(orderID: $0.id, fromSlot: $0.slot, toSlot: after[$0.id]!)
                }, "step \(step)")
                for effect in whatIf.displacement.byTier {
                    let mine = later.filter { $0.tier == effect.tier }
                    #expect(effect.displaced == mine.count)
                    #expect(effect.delayTotal == mine.reduce(0) { $0 + after[$1.id]! - $1.slot })
                }
                let fresh = results.filter { !$0.duplicate }
                #expect(whatIf.displacement.byTier.reduce(0) { $0 + $1.committed + $1.queued } == fresh.count)
                displacedSeen += later.count
            default:
                Issue.record("step \(step): dry run \(dry), real submit \(done)")
            }
        }
        #expect(compared > 30)
        #expect(displacedSeen > 0)
    }

    @Test func aPlatinumClumpListsTheWaitingOrdersItPushesLater() throws {
        var s = Scheduler(config: makeConfig(capacity: 4, horizon: 1, lead: 1), now: t0)
        // 4 committed (the virtual time moves to their tag), then 8 queued
        // in the two slots after the horizon, with later tags than gold's.
        _ = try s.submit((0..<4).map { sub("S-\($0)", "S-\($0)", tier: "standard") }, now: t0, actor: "t")
        _ = try s.submit((4..<12).map { sub("S-\($0)", "S-\($0)", tier: "standard") }, now: t0, actor: "t")
        let clump = (0..<4).map { sub("G-\($0)", "G-\($0)", tier: "gold") }
        let whatIf = try s.whatIfSubmit(clump, now: t0, actor: "t")
        #expect(whatIf.results.allSatisfy { $0.state == .queued && !$0.duplicate })
        // The four gold orders take the first slot after the horizon; the
        // eight standard ones each move one slot later.
        #expect(whatIf.displacement.count == 8)
        #expect(whatIf.displacement.orders.allSatisfy { $0.toSlot == $0.fromSlot + 3600 })
        #expect(whatIf.displacement.byTier == [
            { var g = TierEffect(tier: "gold"); g.queued = 4; return g }(),
            { var t = TierEffect(tier: "standard"); t.displaced = 8; t.delayTotal = 8 * 3600; t.delayMax = 3600; return t }(),
        ])
        #expect(s.storedOrder("G-0") == nil)
        #expect(try s.order("S-11").slotStart == (t0.seconds / 3600 + 3) * 3600)
    }

    @Test func theListStopsAtAThousandButTheCountDoesNot() throws {
        var s = Scheduler(config: makeConfig(capacity: 10, horizon: 1, lead: 1), now: t0)
        _ = try s.submit((0..<10).map { sub("C-\($0)", "C-\($0)", tier: "standard") }, now: t0, actor: "t")
        _ = try s.submit((0..<1200).map { sub("S-\($0)", "S-\($0)", tier: "standard") }, now: t0, actor: "t")
        let whatIf = try s.whatIfSubmit((0..<10).map { sub("G-\($0)", "G-\($0)", tier: "gold") }, now: t0, actor: "t")
        #expect(whatIf.displacement.count == 1200)
        #expect(whatIf.displacement.orders.count == Displacement.limit)
    }
}
