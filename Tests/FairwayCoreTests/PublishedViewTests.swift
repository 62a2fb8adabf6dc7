@testable import FairwayCore
import Testing

/// `publishedOrder` answers exactly what `order` answered at the publish, or
/// nothing; and projections kept incrementally over a deep queue (several
/// `SlotOffsets` chunks, restored from checkpoints) equal ones made afresh.
@Suite struct PublishedViewTests {
    /// Compares the published answer for `id` with what `snapshot` (the
    /// scheduler copied at the publish) answers; returns whether it answered.
    @discardableResult
    static func expectSame(
        _ s: borrowing Scheduler, _ snapshot: inout Scheduler, _ id: String, _ context: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Bool {
        guard let published = s.publishedOrder(id) else { return false }
        let expected: Result<OrderView, FairwayError>
        do { expected = .success(try snapshot.order(id)) } catch { expected = .failure(error) }
        switch (published, expected) {
        case (.success(let a), .success(let b)):
            #expect(a == b, "\(context): \(id) published \(a), at the publish \(b)", sourceLocation: sourceLocation)
        case (.failure(let a), .failure(let b)):
            #expect(a.code == b.code, "\(context): \(id)", sourceLocation: sourceLocation)
        default:
            Issue.record("\(context): \(id) published \(published), at the publish \(expected)", sourceLocation: sourceLocation)
        }
        return true
    }

    static func publishComplete(_ s: inout Scheduler) {
        while !s.extendProjections(budget: 1000) {}
        s.publish()
    }

    @Test(arguments: [41, 42, 43, 44, 45, 46] as [UInt64])
    func publishedAnswersAreThoseOfThePublishOrNone(seed: UInt64) {
        var s = Scheduler(config: makeConfig(capacity: 6, horizon: 2, lead: 1), now: t0)
        var w = RandomWorkload(seed: seed)
        Self.publishComplete(&s)
        var snapshot = s
        var onlySubmits = true
        var answered = 0
        var kinds: [String: Int] = [:]
        for step in 0..<300 {
            let kind = w.step(&s)
            kinds[kind, default: 0] += 1
            if kind != "submit" && kind != "none" { onlySubmits = false }
            // Since the publish only new orders came in: the view must answer
            // every id (its projection was complete), exactly as then.
            for n in stride(from: 1, through: w.nextOrder + 2, by: 1) {
                let didAnswer = Self.expectSame(s, &snapshot, "SO-\(n)", "seed \(seed) step \(step)")
                if didAnswer { answered += 1 }
                if onlySubmits { #expect(didAnswer, "seed \(seed) step \(step): SO-\(n) not answered after submits only") }
            }
            if w.chance(30) {
                _ = s.drainChanges()  // as the owner commits
                Self.publishComplete(&s)
                snapshot = s
                onlySubmits = true
            }
        }
        #expect(answered > 1000)
        #expect((kinds["tick"] ?? 0) > 10 && (kinds["cancel"] ?? 0) > 5 && (kinds["complain"] ?? 0) > 10)
    }

    @Test(arguments: [51, 52, 53] as [UInt64])
    func lookupsDuringALongSubmitSeeThePublishedState(seed: UInt64) {
        var s = Scheduler(config: makeConfig(capacity: 20, horizon: 2, lead: 1), now: t0)
        var rng = SeededRandom(seed: seed)
        var next = 0
        func batch(_ n: Int) -> [OrderSubmission] {
            (0..<n).map { _ in
                next += 1
                return sub("SO-\(next)", "C-\(rng.next() % 200)", units: Int(rng.next() % 3) + 1,
                           tier: rng.next() % 4 == 0 ? "gold" : "standard")
            }
        }
        _ = try! s.submit(batch(2000), now: t0, actor: "test")
        _ = s.drainChanges()
        Self.publishComplete(&s)
        var snapshot = s
        var pauses = 0
        var probes = 0
        for round in 0..<3 {
            let known = next
            _ = try! s.submit(batch(700), now: t0, actor: "test") { current in
                pauses += 1
                for _ in 0..<5 {
                    let id = "SO-\(Int(rng.next() % UInt64(known + 700)) + 1)"
                    #expect(Self.expectSame(current, &snapshot, id, "round \(round) pause \(pauses)"))
                    probes += 1
                }
            }
            // Until the publish, new orders stay unseen and places unchanged.
            for n in stride(from: 1, through: next, by: 37) {
                #expect(Self.expectSame(s, &snapshot, "SO-\(n)", "round \(round) after the submit"))
            }
            _ = s.drainChanges()
            Self.publishComplete(&s)
            snapshot = s
        }
        #expect(pauses > 3 * (700 / Scheduler.pauseEvery))
        #expect(probes > 100)
    }

    @Test func aChangeToAPublishedOrderStopsTheView() throws {
        var s = Scheduler(config: makeConfig(capacity: 2, horizon: 1), now: t0)
        _ = try s.submit((1...6).map { sub("SO-\($0)", "C-\($0)") }, now: t0, actor: "test")
        Self.publishComplete(&s)
        #expect(s.publishedOrder("SO-6") != nil)
        _ = try s.complain(orderID: "SO-6", channel: nil, note: nil, now: t0, actor: "test")
        #expect(s.publishedOrder("SO-6") == nil)
        #expect(!s.hasUsablePublishedView)
        Self.publishComplete(&s)
        _ = try s.close(orderID: "SO-5", as: .cancelled, reason: nil, now: t0, actor: "test")
        #expect(!s.hasUsablePublishedView)
        Self.publishComplete(&s)
        s.tick(now: t0.adding(seconds: 3600))
        #expect(!s.hasUsablePublishedView, "a new slot moves the horizon the projections start from")
    }

    /// Deep queues: truncations land in later chunks and restore checkpoints.
    @Test(arguments: [61, 62] as [UInt64])
    func deepProjectionsStayEqualToFreshOnes(seed: UInt64) {
        var s = Scheduler(config: makeConfig(capacity: 7, horizon: 2, lead: 1), now: t0)
        var rng = SeededRandom(seed: seed)
        var next = 0
        var restores = 0
        for step in 0..<62 {
            let n = step < 3 ? 7_000 : Int(rng.next() % 40) + 1
            let submissions = (0..<n).map { _ in
                next += 1
                var o = sub("SO-\(next)", "C-\(rng.next() % 3000)", units: Int(rng.next() % 4) + 1,
                            tier: rng.next() % 3 == 0 ? "gold" : "standard")
                if rng.next() % 50 == 0 { o.notBefore = t0.adding(seconds: Int64(rng.next() % 4000) * 3600) }
                return o
            }
            _ = try! s.submit(submissions, now: t0, actor: "test")
            if rng.next() % 3 == 0, let victim = s.orders.filter({ $0.state == .queued }).randomElement(using: &rng) {
                _ = try! s.close(orderID: victim.orderID, as: .cancelled, reason: nil, now: t0, actor: "test")
            }
            // Place only part of the queue sometimes, all of it other times.
            let count = s.depots["main"]!.queue.count
            s.project("main", through: rng.next() % 2 == 0 ? count - 1 : Int(rng.next() % UInt64(count)))
            var fresh = s
            fresh.invalidateProjection("main")
            let placed = s.depots["main"]!.projection.placed
            fresh.project("main", through: placed - 1)
            let a = s.depots["main"]!.projection
            let b = fresh.depots["main"]!.projection
            #expect(a.placed == b.placed)
            var firstDifference: Int?
            for r in 0..<placed where a.slot(ofRank: r) != b.slot(ofRank: r) {
                firstDifference = r
                break
            }
            #expect(firstDifference == nil, "seed \(seed) step \(step): rank \(firstDifference ?? -1) differs")
            #expect(a.firstOpen == b.firstOpen, "seed \(seed) step \(step)")
            for slot in b.horizonEnd..<(b.horizonEnd + Int64(count)) where a.used(slot) != b.used(slot) {
                Issue.record("seed \(seed) step \(step): slot \(slot) holds \(a.used(slot)), afresh \(b.used(slot))")
                break
            }
            // Cutting back to a rank in a later chunk restores its checkpoint;
            // placing on from there gives the same placements again.
            if placed > 2 * SlotOffsets.chunkSize {
                let rank = SlotOffsets.chunkSize + Int(rng.next() % UInt64(placed - SlotOffsets.chunkSize))
                var cut = s
                cut.truncateProjection("main", fromRank: rank)
                let kept = cut.depots["main"]!.projection.placed
                if kept == (rank >> SlotOffsets.chunkShift) << SlotOffsets.chunkShift && kept != rank { restores += 1 }
                #expect(kept <= rank)
                cut.project("main", through: placed - 1)
                let c = cut.depots["main"]!.projection
                #expect((0..<placed).allSatisfy { c.slot(ofRank: $0) == a.slot(ofRank: $0) }, "seed \(seed) step \(step): cut at \(rank)")
                #expect(c.firstOpen == a.firstOpen)
                for slot in a.horizonEnd..<(a.horizonEnd + Int64(count)) where c.used(slot) != a.used(slot) {
                    Issue.record("seed \(seed) step \(step): cut at \(rank): slot \(slot) holds \(c.used(slot)), before \(a.used(slot))")
                    break
                }
            }
        }
        #expect(s.depots["main"]!.queue.count > 4 * SlotOffsets.chunkSize)
        #expect(restores > 10, "checkpoints past the first chunk were restored \(restores) times")
    }
}
