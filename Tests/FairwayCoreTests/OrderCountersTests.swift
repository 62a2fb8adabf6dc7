import FairwayCore
import Testing

/// The counts metrics show, moved change by change, equal a recount.
@Suite struct OrderCountersTests {
    @Test func countsMovedByEachChangeEqualARecount() throws {
        var rng = SeededRandom(seed: 7)
        var s = Scheduler(config: makeConfig(capacity: 5, horizon: 2, depots: ["main", "east"]), now: t0)
        var counters = OrderCounters(s)
        var now = t0
        var ids: [String] = []
        for round in 0..<40 {
            let n = 1 + Int(rng.next() % 6)
            let batch = (0..<n).map { k in
                sub("O-\(round)-\(k)", "C-\(rng.next() % 9)", units: 1 + Int(rng.next() % 3),
                    tier: rng.next() % 2 == 0 ? "gold" : "standard", depot: rng.next() % 3 == 0 ? "east" : "main")
            }
            _ = try s.submit(batch, now: now, actor: "t")
            ids += batch.map(\.orderID)
            for _ in 0..<2 {
                let id = ids[Int(rng.next() % UInt64(ids.count))]
                switch rng.next() % 4 {
                case 0: _ = try? s.close(orderID: id, as: .delivered, reason: nil, now: now, actor: "t")
                case 1: _ = try? s.close(orderID: id, as: .cancelled, reason: nil, now: now, actor: "t")
                case 2: _ = try? s.close(orderID: id, as: .failed, reason: nil, now: now, actor: "t")
                default: _ = try s.complain(orderID: id, channel: nil, note: nil, now: now, actor: "t")
                }
            }
            now = now.adding(seconds: Int64(rng.next() % 3000))
            s.tick(now: now)
            counters.update(s, changes: s.drainChanges())
            #expect(counters == OrderCounters(s), "round \(round)")
        }
        let named = counters.named(s)
        #expect(named.reduce(0) { $0 + $1.counts.received } == ids.count)
        #expect(named.reduce(0) { $0 + $1.counts.queued } == s.orders.filter { $0.state == .queued }.count)
        #expect(named.reduce(0) { $0 + $1.counts.committed } == s.orders.filter { $0.state == .committed }.count)
        let closed = named.reduce(0) { $0 + $1.counts.closed.values.reduce(0, +) }
        #expect(closed == s.orders.filter { !$0.state.isOpen }.count)
        #expect(named.reduce(0) { $0 + $1.counts.complaints } == s.orders.reduce(0) { $0 + Int($1.complaints) })
    }
}
