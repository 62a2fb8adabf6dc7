import FairwayCore
import Testing

/// `at_risk`, `overdue` and a customer's recent orders.
@Suite struct AttentionTests {
    let h0 = t0.seconds / 3600

    @Test func atRiskListsOpenOrdersPastTheirDeadlineEarliestDeadlineFirst() throws {
        var s = Scheduler(config: makeConfig(capacity: 1, horizon: 1), now: t0)
        let soon = Timestamp(seconds: (h0 + 2) * 3600)
        let later = Timestamp(seconds: (h0 + 3) * 3600)
        let far = Timestamp(seconds: (h0 + 100) * 3600)
        _ = try s.submit(
            [sub("A", "C-1", deadline: far), sub("B", "C-2", deadline: later), sub("C", "C-3", deadline: soon),
             sub("D", "C-4", deadline: soon), sub("E", "C-5")],
            now: t0, actor: "t")
        // A: slot h0+1 (ok); B: h0+2 ends h0+3 (ok); C: h0+3 ends after soon; D: h0+4.
        let list = try s.atRisk(depot: nil, limit: 100, now: t0)
        #expect(list.orders.map(\.order.orderID) == ["C", "D"])
        #expect(list.count == 2)
        #expect(list.orders.allSatisfy { $0.atRisk })
        let one = try s.atRisk(depot: "main", limit: 1, now: t0)
        #expect(one.orders.count == 1 && one.count == 2)
        // Once B's deadline has passed it is at risk too, until it is closed.
        let after = later.adding(seconds: 1)
        #expect(try s.atRisk(depot: nil, limit: 100, now: after).orders.map(\.order.orderID) == ["C", "D", "B"])
        _ = try s.close(orderID: "C", as: .delivered, reason: nil, now: after, actor: "t")
        #expect(try s.atRisk(depot: nil, limit: 100, now: after).orders.map(\.order.orderID) == ["D", "B"])
        #expect(throws: FairwayError.self) { try s.atRisk(depot: "nowhere", limit: 10, now: t0) }
        #expect(throws: FairwayError.self) { try s.atRisk(depot: nil, limit: 0, now: t0) }
    }

    @Test func overdueListsPromisesWhoseSlotEndedWithoutAnOutcome() throws {
        var s = Scheduler(config: makeConfig(capacity: 1, horizon: 2), now: t0)
        _ = try s.submit([sub("A", "C-1"), sub("B", "C-2"), sub("C", "C-3")], now: t0, actor: "t")
        #expect(try s.overdue(depot: nil, limit: 100, now: t0).count == 0)
        // A's slot is h0+1, B's h0+2: both ended at h0+3.
        let now = Timestamp(seconds: (h0 + 3) * 3600)
        s.tick(now: now)
        let list = try s.overdue(depot: nil, limit: 100, now: now)
        #expect(list.orders.map(\.order.orderID) == ["A", "B"])
        #expect(list.orders.allSatisfy { $0.overdue })
        #expect(s.overdueCount(now: now) == 2)
        _ = try s.close(orderID: "A", as: .delivered, reason: nil, now: now, actor: "t")
        #expect(try s.overdue(depot: "main", limit: 100, now: now).orders.map(\.order.orderID) == ["B"])
        #expect(s.overdueCount(now: now) == 1)
    }

    @Test func aCustomerShowsItsRecentOrdersAndCounts() throws {
        var s = Scheduler(config: makeConfig(capacity: 10), now: t0)
        let subs = (0..<5).map { i in
            OrderSubmission(orderID: "O-\(i)", customerID: "C-1", clearedAt: t0.adding(seconds: Int64(-100 + i)))
        }
        _ = try s.submit(subs + [sub("X", "C-2")], now: t0, actor: "t")
        _ = try s.close(orderID: "O-0", as: .failed, reason: "address", now: t0, actor: "t")
        _ = try s.close(orderID: "O-1", as: .cancelled, reason: nil, now: t0, actor: "t")
        let c = try s.customer("C-1", limit: 3, now: Timestamp(seconds: (h0 + 2) * 3600))
        #expect(c.orders.map(\.order.orderID) == ["O-4", "O-3", "O-2"])
        #expect(c.failed == 1 && c.cancelled == 1)
        #expect(c.overdue == 3)
        #expect(try s.customer("C-1", limit: 0, now: t0).orders.isEmpty)
        #expect(throws: FairwayError.self) { try s.customer("C-1", limit: 1001, now: t0) }
    }

    @Test func submitResultsSayWhichAcceptedOrdersMissTheirDeadline() throws {
        var s = Scheduler(config: makeConfig(capacity: 1, horizon: 1), now: t0)
        let results = try s.submit(
            [sub("A", "C-1", deadline: Timestamp(seconds: (h0 + 2) * 3600)),
             sub("B", "C-2", deadline: Timestamp(seconds: (h0 + 2) * 3600)), sub("C", "C-3")],
            now: t0, actor: "t")
        #expect(results.map(\.atRisk) == [false, true, false])
    }
}
