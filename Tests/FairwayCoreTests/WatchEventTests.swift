@testable import FairwayCore
import Testing

/// What a watcher sees of a round of changes: the journal's events one for
/// one, except one `ingested` per submit and depot with its counts.
@Suite struct WatchEventTests {
    let hour: Int64 = 3600
    var first: Int64 { t0.seconds / hour + 1 }

    @Test func aSubmitIsOneIngestedPerDepotWithCountAndUnitsThenItsCommits() throws {
        var s = Scheduler(config: makeConfig(capacity: 4, horizon: 1, depots: ["north", "south"]), now: t0)
        _ = try s.submit([
            sub("N1", "C-1", units: 2, depot: "north"), sub("S1", "C-2", units: 3, depot: "south"),
            sub("N2", "C-3", units: 1, depot: "north"), sub("N3", "C-1", units: 2, depot: "north"),
        ], now: t0, actor: "uid=1(a)")
        let events = Event.watchEvents(of: s.drainChanges())
        let ingested = events.filter { $0.kind == .ingested }
        #expect(ingested.count == 2)
        #expect(events.prefix(2).map(\.kind) == [.ingested, .ingested], "the acceptances come before the commits they led to")
        let north = try #require(ingested.first { $0.depot == "north" })
        #expect(north.count == 3 && north.units == 5)
        #expect(north.orderID == nil && north.customerID == nil, "three orders of two customers name neither")
        #expect(north.actor == "uid=1(a)" && north.at == t0)
        let south = try #require(ingested.first { $0.depot == "south" })
        #expect(south.count == 1 && south.units == 3 && south.orderID == "S1" && south.customerID == "C-2")
        // The commits: as the journal has them, one per order, with the slot.
        let committed = events.filter { $0.kind == .committed }
        #expect(Set(committed.map(\.orderID)) == ["N1", "N2", "S1"], "north's slot holds 4 units: N1 and N2 fit, N3 waits")
        #expect(committed.allSatisfy { $0.slotStart == first * hour && $0.customerID != nil && $0.depot != nil })
        #expect(events.count == 2 + committed.count)
    }

    @Test func twoSubmitsInOneRoundStayTwoEvents() throws {
        var s = Scheduler(config: makeConfig(capacity: 10, horizon: 0), now: t0)
        _ = try s.submit([sub("A", "C-1", units: 2)], now: t0, actor: "t")
        _ = try s.submit([sub("B", "C-1", units: 3), sub("C", "C-1", units: 1)], now: t0, actor: "t")
        let events = Event.watchEvents(of: s.drainChanges())
        #expect(events.map(\.kind) == [.ingested, .ingested])
        #expect(events.map(\.count) == [1, 2])
        #expect(events.map(\.units) == [2, 4])
        #expect(events[1].customerID == "C-1" && events[1].orderID == nil, "one customer's two orders name the customer")
        // A duplicate submit accepts nothing: no event.
        _ = try s.submit([sub("A", "C-1", units: 2)], now: t0, actor: "t")
        #expect(Event.watchEvents(of: s.drainChanges()).isEmpty)
    }

    @Test func everyOtherChangeIsOneEventWithItsFields() throws {
        var config = makeConfig(capacity: 4, horizon: 2)
        config.expediteBudget = 50
        var s = Scheduler(config: config, now: t0)
        _ = try s.submit((0..<20).map { sub("O\($0)", "C-\($0)", units: 1) }, now: t0, actor: "t")
        _ = s.drainChanges()
        _ = try s.complain(orderID: "O0", channel: "phone", note: nil, now: t0, actor: "t")
        _ = try s.close(orderID: "O1", as: .delivered, reason: nil, now: t0, actor: "t")
        _ = try s.close(orderID: "O2", as: .cancelled, reason: "changed mind", now: t0, actor: "t")
        _ = try s.fail(orderID: "O3", reason: "address", note: nil, at: nil, retry: false, now: t0, actor: "t")
        _ = try s.fail(orderID: "O4", reason: "customer_absent", note: nil, at: nil, retry: true, now: t0, actor: "t")
        _ = try s.expedite(orderID: "O19", reason: "hospital", now: t0, actor: "t")
        _ = try s.setCapacity(
            depot: "main", from: Timestamp(seconds: first * hour), to: Timestamp(seconds: (first + 1) * hour), capacity: 1,
            reason: "truck down", now: t0, actor: "t")
        try s.reload(config, now: t0, actor: "SIGHUP")
        let changes = s.drainChanges()
        let events = Event.watchEvents(of: changes)
        // One for one with the journal's events, in the same order.
        #expect(events.map(\.kind) == changes.events.map(\.kind))
        #expect(events.map(\.orderID) == changes.events.map(\.orderID))
        let kinds = Set(events.map(\.kind))
        for kind in [EventKind.complaint, .delivered, .cancelled, .failed, .retried, .expedited, .capacity, .promiseMoved, .reload] {
            #expect(kinds.contains(kind), "\(kind) is missing")
        }
        let moved = try #require(events.first { $0.kind == .promiseMoved })
        #expect(moved.fromSlot == first * hour && moved.slotStart != nil && moved.slotStart! > first * hour)
        let capacity = try #require(events.first { $0.kind == .capacity })
        #expect(capacity.depot == "main" && capacity.slotStart == first * hour && capacity.orderID == nil)
        #expect(events.allSatisfy { $0.count == nil && $0.units == nil }, "counts belong to ingested alone")
    }

    @Test func startedAndStoppingAreNotWatchEvents() {
        var changes = ChangeSet()
        changes.events = [
            Event(kind: .started, at: t0, actor: "d", message: "up"),
            Event(kind: .complaint, at: t0, actor: "d", orderID: "A", message: "c"),
            Event(kind: .stopping, at: t0, actor: "d", message: "down"),
        ]
        #expect(Event.watchEvents(of: changes).map(\.kind) == [.complaint])
    }

    @Test func eventNamesAreCheckedAndTheUnknownOnesNamed() throws {
        #expect(try EventKind.watchable(named: nil) == Set(EventKind.watchable))
        #expect(try EventKind.watchable(named: []) == Set(EventKind.watchable))
        #expect(try EventKind.watchable(named: ["promise_moved", "reload"]) == [.promiseMoved, .reload])
        #expect(EventKind.watchable.count == 11)
        do {
            _ = try EventKind.watchable(named: ["committed", "teleported", "stopping"])
            Issue.record("unknown names were accepted")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("'teleported'") && error.message.contains("'stopping'"))
            #expect(error.message.contains("known: ingested, committed, promise_moved"))
        }
    }
}
