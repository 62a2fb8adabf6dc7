@testable import FairwayDaemon
import FairwayCore
import FairwayPOSIX
import FairwayProtocol
import Testing

/// The bounded queue of one watcher and the overflow rule, then the
/// registry the state owner publishes into.
@Suite struct WatchQueueTests {
    static func line(_ n: Int) -> [UInt8] { Array("{\"n\":\(n)}\n".utf8) }

    @Test func linesLeaveInOrderAndOnlyTheKindsAskedFor() {
        var q = WatchQueue(kinds: [.committed, .complaint], bound: 100)
        q.offer(.committed, Self.line(1))
        q.offer(.ingested, Self.line(2))
        q.offer(.complaint, Self.line(3))
        #expect(q.count == 2)
        #expect(q.take(maxBytes: 1 << 20) == Self.line(1) + Self.line(3))
        #expect(q.take(maxBytes: 1 << 20).isEmpty)
        #expect(q.dropped == nil)
    }

    @Test func takeStopsAtTheByteBudgetButAlwaysGivesOneLine() {
        var q = WatchQueue(kinds: [.committed], bound: 100)
        for n in 0..<10 { q.offer(.committed, Self.line(n)) }
        let one = Self.line(0).count
        #expect(q.take(maxBytes: 0).isEmpty, "no budget, no line")
        #expect(q.take(maxBytes: 1) == Self.line(0), "a line longer than the budget still goes")
        #expect(q.take(maxBytes: 3 * one) == Self.line(1) + Self.line(2) + Self.line(3))
        #expect(q.count == 6)
    }

    @Test func theEventPastTheBoundOverflowsDropsAllAndTakesNoMore() {
        var q = WatchQueue(kinds: [.committed], bound: 5)
        for n in 0..<5 { q.offer(.committed, Self.line(n)) }
        #expect(q.dropped == nil, "exactly the bound waiting is allowed")
        q.offer(.ingested, Self.line(99))
        #expect(q.dropped == nil, "a kind it did not ask for does not count")
        q.offer(.committed, Self.line(5))
        #expect(q.dropped == 6, "the five waiting and the one that did not fit")
        #expect(q.count == 0, "what waited is freed at once")
        q.offer(.committed, Self.line(6))
        #expect(q.dropped == 6 && q.count == 0, "nothing more is queued or counted")
    }

    @Test func aWatcherThatKeepsUpNeverOverflows() {
        // Property: whatever the interleaving, while no more than `bound` wait
        // at any offer, nothing is dropped and every line arrives once, in order.
        var rng = SeededRandom(seed: 14)
        for _ in 0..<200 {
            let bound = Int(rng.next() % 20) + 1
            var q = WatchQueue(kinds: [.committed], bound: bound)
            var sent = 0
            var got: [UInt8] = []
            var expected: [UInt8] = []
            for _ in 0..<200 {
                if rng.next() % 2 == 0, q.count < bound {
                    q.offer(.committed, Self.line(sent))
                    expected += Self.line(sent)
                    sent += 1
                } else {
                    got += q.take(maxBytes: Int(rng.next() % 40) + 1)
                }
            }
            while q.count > 0 { got += q.take(maxBytes: 64) }
            #expect(q.dropped == nil)
            #expect(got == expected)
        }
    }

    @Test func theRealBoundIsTheContracts() {
        #expect(WatchQueue.bound == 10_000)
        var q = WatchQueue(kinds: Set(EventKind.watchable))
        for n in 0..<10_000 { q.offer(.committed, Self.line(n)) }
        #expect(q.dropped == nil)
        q.offer(.reload, Self.line(10_000))
        #expect(q.dropped == 10_001)
    }

    // MARK: The registry

    static func event(_ kind: EventKind, _ id: String) -> Event {
        Event(kind: kind, at: Timestamp(seconds: 1_795_392_000), actor: "t", orderID: id, message: "m")
    }

    @Test func publishFeedsEachWatcherItsKindsAndWakesTheIOThread() throws {
        let wake = try EventFD()
        let watchers = Watchers(wake: wake, bound: 3)
        #expect(watchers.isEmpty)
        watchers.publish([Self.event(.committed, "A")])  // nobody watches: nothing kept
        watchers.add(connection: 1, kinds: [.committed])
        watchers.add(connection: 2, kinds: [.complaint])
        #expect(!watchers.isEmpty)
        watchers.publish([Self.event(.committed, "B"), Self.event(.complaint, "C")])
        guard case .lines(let one) = watchers.take(connection: 1, maxBytes: 1 << 20) else {
            Issue.record("watcher 1 got nothing")
            return
        }
        #expect(one == ResponseEncoder.watchEvent(Self.event(.committed, "B")))
        #expect(watchers.take(connection: 2, maxBytes: 1 << 20) == .lines(ResponseEncoder.watchEvent(Self.event(.complaint, "C"))))
        #expect(watchers.take(connection: 1, maxBytes: 1 << 20) == .nothing)
        #expect(watchers.take(connection: 9, maxBytes: 1 << 20) == .nothing)
    }

    @Test func anOverflowIsReportedOnceAndTheWatcherForgotten() throws {
        let watchers = Watchers(wake: try EventFD(), bound: 3)
        watchers.add(connection: 1, kinds: Set(EventKind.watchable))
        watchers.add(connection: 2, kinds: Set(EventKind.watchable))
        watchers.publish((0..<3).map { Self.event(.committed, "O\($0)") })
        _ = watchers.take(connection: 2, maxBytes: 1 << 20)  // 2 keeps up, 1 does not
        watchers.publish((3..<5).map { Self.event(.committed, "O\($0)") })
        #expect(watchers.take(connection: 1, maxBytes: 0) == .overflow(dropped: 4), "even with no room for lines")
        #expect(watchers.take(connection: 1, maxBytes: 1 << 20) == .nothing)
        guard case .lines(let two) = watchers.take(connection: 2, maxBytes: 1 << 20) else {
            Issue.record("the watcher that kept up lost its events")
            return
        }
        #expect(two == ResponseEncoder.watchEvent(Self.event(.committed, "O3")) + ResponseEncoder.watchEvent(Self.event(.committed, "O4")))
        watchers.remove(connection: 2)
        #expect(watchers.isEmpty)
    }

    @Test func aConnectionGoneBeforeItsWatchIsRegisteredStaysGone() throws {
        let watchers = Watchers(wake: try EventFD(), bound: 3)
        watchers.remove(connection: 5)  // the I/O thread closed it first
        watchers.add(connection: 5, kinds: [.committed])  // then the owner answered its watch
        #expect(watchers.isEmpty)
        watchers.publish([Self.event(.committed, "A")])
        #expect(watchers.take(connection: 5, maxBytes: 1 << 20) == .nothing)
    }

    @Test func theOverflowLineIsTheContracts() throws {
        let line = ResponseEncoder.watchOverflow(dropped: 10_001)
        #expect(String(decoding: line, as: UTF8.self) == "{\"event\":\"overflow\",\"dropped\":10001}\n")
        let event = Event(
            kind: .promiseMoved, at: Timestamp(seconds: 1_795_392_000), actor: "uid=0(root)", orderID: "SO-1", customerID: "C-1",
            depot: "north", slotStart: 1_795_399_200, message: "moved", fromSlot: 1_795_395_600)
        let object = try #require(try JSONParser.parse(Array(ResponseEncoder.watchEvent(event).dropLast())).objectValue)
        #expect(object["event"]?.stringValue == "promise_moved")
        #expect(object["at"]?.stringValue == "2026-11-23T00:00:00Z")
        #expect(object["slot_start"]?.stringValue == "2026-11-23T02:00:00Z")
        #expect(object["from_slot"]?.stringValue == "2026-11-23T01:00:00Z")
        #expect(object["order_id"]?.stringValue == "SO-1" && object["customer_id"]?.stringValue == "C-1")
        #expect(object["count"] == nil && object["units"] == nil)
    }

    @Test func aReaderMayWatchAndNobodyElseWithoutARole() {
        let peer = PeerIdentity(pid: 1, uid: 4_000_123, gid: 4_000_123, userName: nil)
        let watch = RequestDecoder.decode(Array(#"{"op":"watch","events":["committed"]}"#.utf8))
        #expect(!Role.reader.authorize(watch, peer: peer).operation.isFailure)
        #expect(!Role.operator.authorize(watch, peer: peer).operation.isFailure)
        guard case .failure(let error) = Role.none.authorize(watch, peer: peer).operation else {
            Issue.record("a peer without a role may watch")
            return
        }
        #expect(error.code == .forbidden && error.message.contains("watch needs the reader role"))
    }
}
