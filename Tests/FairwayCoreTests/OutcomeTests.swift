@testable import FairwayCore
import Testing

@Suite struct OutcomeTests {
    let hour: Int64 = 3600
    var firstSlot: Int64 { (t0.seconds / hour + 1) * hour }

    @Test func theRecordStaysNinetySixBytes() {
        #expect(MemoryLayout<OrderRecord>.size <= 96)
        #expect(MemoryLayout<OrderRecord>.stride == 96)
    }

    @Test func deliveredByTheEndOfTheFirstPromiseIsOnTimeAfterItLate() throws {
        var s = Scheduler(config: makeConfig(capacity: 4), now: t0)
        _ = try s.submit([sub("A", "C-1"), sub("B", "C-2")], now: t0, actor: "t")
        let end = firstSlot + hour
        let onTime = try s.close(orderID: "A", as: .delivered, reason: nil, at: Timestamp(seconds: end), now: Timestamp(seconds: end + 10), actor: "t")
        #expect(onTime.order.outcome == .onTime)
        #expect(onTime.order.deliveredAt == Timestamp(seconds: end))
        #expect(onTime.order.closedAt == Timestamp(seconds: end))
        #expect(onTime.order.firstPromise == firstSlot)
        let late = try s.close(orderID: "B", as: .delivered, reason: nil, at: Timestamp(seconds: end + 1), now: Timestamp(seconds: end + 10), actor: "t")
        #expect(late.order.outcome == .late)
    }

    @Test func deliveredBeforeEverPromisedIsOnTime() throws {
        var s = Scheduler(config: makeConfig(capacity: 1, horizon: 1), now: t0)
        _ = try s.submit([sub("A", "C-1"), sub("B", "C-2")], now: t0, actor: "t")
        #expect(s.storedOrder("B")!.state == .queued)
        let v = try s.close(orderID: "B", as: .delivered, reason: nil, now: t0.adding(seconds: 60), actor: "t")
        #expect(v.order.firstPromise == nil)
        #expect(v.order.outcome == .onTime)
    }

    @Test func deliverAtIsCheckedAgainstClearedAtAndTheClock() throws {
        var s = Scheduler(config: makeConfig(), now: t0)
        _ = try s.submit([sub("A", "C-1")], now: t0, actor: "t")
        #expect(throws: FairwayError.self) {
            try s.close(orderID: "A", as: .delivered, reason: nil, at: t0.adding(seconds: -1), now: t0, actor: "t")
        }
        #expect(throws: FairwayError.self) {
            try s.close(orderID: "A", as: .delivered, reason: nil, at: t0.adding(seconds: 61), now: t0, actor: "t")
        }
        #expect(s.storedOrder("A")!.state == .committed)
        _ = try s.close(orderID: "A", as: .delivered, reason: nil, at: t0.adding(seconds: 60), now: t0, actor: "t")
        // A repeat is a conflict that changes nothing.
        _ = s.drainChanges()
        let e = #expect(throws: FairwayError.self) {
            try s.close(orderID: "A", as: .delivered, reason: nil, now: t0, actor: "t")
        }
        #expect(e?.code == .conflict)
        #expect(s.drainChanges().isEmpty)
    }

    @Test func failNeedsAReasonFromTheConfigAndRecordsIt() throws {
        var s = Scheduler(config: makeConfig(), now: t0)
        _ = try s.submit([sub("A", "C-1")], now: t0, actor: "t")
        _ = s.drainChanges()
        let missing = #expect(throws: FairwayError.self) {
            try s.fail(orderID: "A", reason: nil, note: nil, at: nil, retry: false, now: t0, actor: "t")
        }
        #expect(missing?.message.contains("customer_absent") == true)
        let unknown = #expect(throws: FairwayError.self) {
            try s.fail(orderID: "A", reason: "rain", note: nil, at: nil, retry: false, now: t0, actor: "t")
        }
        #expect(unknown?.code == .invalidArgument)
        #expect(unknown?.message.contains("rain") == true)
        #expect(throws: FairwayError.self) {
            try s.fail(orderID: "A", reason: "address", note: String(repeating: "x", count: 4097), at: nil, retry: false, now: t0, actor: "t")
        }
        #expect(s.drainChanges().isEmpty)
        let v = try s.fail(orderID: "A", reason: "address", note: "no such street", at: nil, retry: false, now: t0, actor: "t")
        #expect(v.order.state == .failed)
        #expect(v.order.outcome == .failed)
        #expect(v.order.failReason == "address")
        #expect(s.status().failed == 1)
    }

    @Test func aRetriedOrderKeepsItsTagAndFirstPromiseAndGoesBackInLine() throws {
        var s = Scheduler(config: makeConfig(capacity: 2, horizon: 1), now: t0)
        _ = try s.submit([sub("A", "C-1"), sub("B", "C-2")], now: t0, actor: "t")
        let tag = s.storedOrder("A")!.tag
        // Later orders, received after A was served, wait beyond the horizon.
        let later = t0.adding(seconds: 60)
        _ = try s.submit((0..<6).map { sub("L-\($0)", "L-\($0)", tier: "gold") }, now: later, actor: "t")
        let at = t0.adding(seconds: 120)
        let v = try s.fail(orderID: "A", reason: "customer_absent", note: "nobody home", at: at, retry: true, now: at, actor: "t")
        // Its own slot had room again: it is committed at once, to the same first bookable slot.
        #expect(v.order.state == .committed)
        #expect(v.order.tag == tag)
        #expect(v.order.firstPromise == firstSlot)
        #expect(v.order.attempts == [Attempt(at: at, reason: "customer_absent", note: "nobody home")])
        #expect(v.order.outcome == nil)
        let changes = s.drainChanges()
        #expect(changes.events.map(\.kind).contains(.retried))
        #expect(changes.attempts.count == 1)
        // The same retry again (same at, reason, note) is a repeat: nothing changes.
        let again = try s.fail(orderID: "A", reason: "customer_absent", note: "nobody home", at: at, retry: true, now: at, actor: "t")
        #expect(again.order.attempts.count == 1)
        #expect(s.drainChanges().isEmpty)
        // Delivered after its first promised slot's end: late.
        let end = firstSlot + 3600
        let d = try s.close(orderID: "A", as: .delivered, reason: nil, at: Timestamp(seconds: end + 5), now: Timestamp(seconds: end + 5), actor: "t")
        #expect(d.order.outcome == .late)
    }

    @Test func aRetriedOrderIsServedBeforeEveryOrderReceivedAfterIt() throws {
        var s = Scheduler(config: makeConfig(capacity: 2, horizon: 1), now: t0)
        _ = try s.submit([sub("A", "C-1", units: 2)], now: t0, actor: "t")
        #expect(s.storedOrder("A")!.state == .committed)
        let later = t0.adding(seconds: 60)
        _ = try s.submit((0..<6).map { sub("L-\($0)", "L-\($0)", tier: ["gold", "standard"][$0 % 2]) }, now: later, actor: "t")
        // Fill the first slot so A cannot be committed again at once.
        _ = try s.fail(orderID: "A", reason: "customer_absent", note: nil, at: nil, retry: true, now: later, actor: "t")
        let queue = try s.queue(depot: nil, limit: 100, after: nil)
        let a = try s.order("A")
        #expect(a.order.state == .committed || a.position == 0)
        for v in queue where v.order.receivedAt > t0 && v.order.orderID != "A" {
            if let p = a.position { #expect(v.position! > p) }
            #expect(v.order.tag > a.order.tag)
        }
    }

    @Test func cancellingKeepsTheFirstPromiseAndCounts() throws {
        var s = Scheduler(config: makeConfig(capacity: 4), now: t0)
        _ = try s.submit([sub("A", "C-1")], now: t0, actor: "t")
        let v = try s.close(orderID: "A", as: .cancelled, reason: "customer asked", now: t0, actor: "t")
        #expect(v.order.slotStart == nil)
        #expect(v.order.firstPromise == firstSlot)
        #expect(v.order.outcome == .cancelled)
        #expect(s.status().cancelled == 1)
    }

    @Test func overdueIsACommittedOrderWhoseSlotHasEnded() throws {
        var s = Scheduler(config: makeConfig(capacity: 4), now: t0)
        _ = try s.submit([sub("A", "C-1")], now: t0, actor: "t")
        #expect(try s.order("A").overdue == false)
        s.tick(now: Timestamp(seconds: firstSlot + 3600))
        #expect(try s.order("A").overdue == true)
        #expect(s.status().overdue == 1)
    }

    @Test func outcomesSurviveARestart() throws {
        var s = Scheduler(config: makeConfig(capacity: 2, horizon: 1), now: t0)
        _ = try s.submit([sub("A", "C-1"), sub("B", "C-2"), sub("C", "C-3")], now: t0, actor: "t")
        _ = try s.fail(orderID: "A", reason: "customer_absent", note: "x", at: t0, retry: true, now: t0, actor: "t")
        _ = try s.fail(orderID: "B", reason: "damaged", note: nil, at: nil, retry: false, now: t0, actor: "t")
        _ = try s.close(orderID: "C", as: .cancelled, reason: nil, now: t0, actor: "t")
        let restored = Scheduler.Restored(orders: s.orders, customerTiers: [:], virtualTimes: ["main": s.virtualTime(depot: "main")!])
        var r = try Scheduler(config: s.config, restoring: restored, now: t0)
        #expect(Array(r.orders) == Array(s.orders))
        #expect(r.status() == s.status())
    }
}
