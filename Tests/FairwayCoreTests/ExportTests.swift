import FairwayCore
import Testing

@Suite struct ExportTests {
    @Test func theWindowsOrdersAndTheirComplaintsInTimeOrder() throws {
        var s = Scheduler(config: makeConfig(), now: t0)
        _ = try s.submit([sub("A", "C-1"), sub("B", "C-2")], now: t0, actor: "test")
        _ = try s.complain(orderID: "A", channel: nil, note: nil, now: t0.adding(seconds: 10), actor: "test")
        _ = try s.submit([sub("C", "C-3")], now: t0.adding(seconds: 20), actor: "test")
        _ = try s.complain(orderID: "C", channel: nil, note: nil, now: t0.adding(seconds: 20), actor: "test")
        _ = try s.complain(orderID: "A", channel: nil, note: nil, now: t0.adding(seconds: 30), actor: "test")
        let complaints = s.drainChanges().complaints
        func names(_ entries: [Scheduler.ExportEntry]) -> [String] {
            entries.map { e in
                switch e {
                case .order(let o): "order \(o.orderID)"
                case .complaint(let at, let id): "complaint \(id) +\(at.seconds - t0.seconds)"
                }
            }
        }
        let all = s.export(from: t0, to: t0.adding(seconds: 60), complaints: complaints)
        #expect(names(all) == ["order A", "order B", "complaint A +10", "order C", "complaint C +20", "complaint A +30"])
        // From 15 s: A's complaints are about an order the window does not hold.
        let later = s.export(from: t0.adding(seconds: 15), to: t0.adding(seconds: 60), complaints: complaints)
        #expect(names(later) == ["order C", "complaint C +20"])
        #expect(s.export(from: t0, to: t0.adding(seconds: 15), complaints: complaints).count == 3)
    }
}
