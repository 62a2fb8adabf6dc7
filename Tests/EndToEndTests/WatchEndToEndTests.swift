import FairwayCore
import FairwayPOSIX
import FairwayProtocol
import Foundation
import Glibc
import Synchronization
import Testing

/// A `watch` connection: the request, its answer, then the event lines.
private final class Watcher {
    let client: Client

    init(_ d: DaemonFixture, events: [String]? = nil) throws {
        client = try d.client()
        var request = JSONObject()
        request.append("id", "w")
        request.append("op", "watch")
        if let events { request.append("events", .array(events.map { .string($0) })) }
        try client.send(.object(request))
        let answer = try client.receive()
        #expect(answer["ok"] == .bool(true) && answer["watching"] == .bool(true) && answer["id"] == "w", "\(answer)")
    }

    /// The next event, or nil when the daemon closed the stream or nothing came for `timeout` seconds.
    func next(timeout: Double = 10) -> JSONObject? {
        guard let line = try? client.readLine(timeout: timeout) else { return nil }
        return (try? JSONParser.parse(line))?.objectValue
    }

    /// Events up to and including the first that `last` accepts (or until the stream stops).
    func events(through last: (JSONObject) -> Bool) -> [JSONObject] {
        var all: [JSONObject] = []
        while let e = next() {
            all.append(e)
            if last(e) { break }
        }
        return all
    }
}

extension JSONObject {
    fileprivate var event: String { self["event"]?.stringValue ?? "?" }
    fileprivate func text(_ key: String) -> String? { self[key]?.stringValue }
}

/// `watch` on the real daemon: the events of a desk's day in order with
/// their fields, the filter, a request after `watch` that is never read,
/// reload and stop, a watcher that never reads cut off at the contract's
/// bound while the daemon goes on, and `fairwayctl watch`.
@Suite(.serialized) struct WatchEndToEndTests {
    /// Day slots of 10 units in main and south, tomorrow promised, 2 expedited units per slot.
    static let config = ExpediteDaemonTests.config + """

        [depot.south]
        slot-length = 1d
        capacity = 10
        """

    static let day: Int64 = 86_400

    @Test func aWatcherSeesADesksDayInOrderWithTheFieldsAndTheFilterOnlyItsKinds() throws {
        let d = try DaemonFixture(config: Self.config)
        let all = try Watcher(d)
        let filtered = try Watcher(d, events: ["complaint", "reload"])
        let c = try d.client()

        // 25 orders for main (C-0..9 promised tomorrow, the rest queued), 2 for south.
        let orders = (0..<25).map { orderJSON("C-\($0)", "C-\($0)") }
            + [orderJSON("S-0", "X", units: 2, depot: "south"), orderJSON("S-1", "X", units: 2, depot: "south")]
        let submitted = try c.call(submitJSON(orders))
        #expect(submitted.isOK, "\(submitted)")
        let tomorrow = try #require(submitted["results"]?.arrayValue?.first?.objectValue?.text("slot_start"))
        let tomorrowSeconds = try #require(Timestamp(rfc3339: tomorrow)).seconds
        let after = Timestamp(seconds: tomorrowSeconds + Self.day).rfc3339
        let afterThat = Timestamp(seconds: tomorrowSeconds + 2 * Self.day).rfc3339

        // A truck down tomorrow: 8 units; two promises move to the day after.
        let capacity = try c.call([
            "op": "capacity", "depot": "main", "from": .string(tomorrow), "to": .string(after), "capacity": 8,
            "reason": "truck 3 in repair",
        ])
        #expect(capacity.isOK, "\(capacity)")
        let expedite = try c.call(["op": "expedite", "order_id": "C-24", "reason": "hospital"])
        #expect(expedite.isOK, "\(expedite)")
        #expect(try c.call(["op": "deliver", "order_id": "C-0"]).isOK)
        #expect(try c.call(["op": "fail", "order_id": "C-1", "reason": "address"]).isOK)
        #expect(try c.call(["op": "fail", "order_id": "C-2", "reason": "customer_absent", "retry": true]).isOK)
        #expect(try c.call(["op": "cancel", "order_id": "C-3", "reason": "not needed"]).isOK)
        #expect(try c.call(["op": "complain", "order_id": "C-5", "channel": "phone"]).isOK)
        d.signal(SIGHUP)

        let seen = all.events { $0.event == "reload" }
        #expect(seen.last?.event == "reload", "the stream stopped early: \(seen.map(\.event))")
        // Every event but the commits, in the order the changes were made.
        #expect(seen.map(\.event).filter { $0 != "committed" } == [
            "ingested", "ingested", "capacity", "promise_moved", "promise_moved", "expedited", "delivered", "failed",
            "retried", "cancelled", "complaint", "reload",
        ])
        for e in seen {
            #expect(e.text("at").flatMap(Timestamp.init(rfc3339:)) != nil, "\(e)")
            #expect(e["actor"]?.stringValue != nil && e["message"]?.stringValue != nil, "\(e)")
        }
        func one(_ kind: String) throws -> JSONObject { try #require(seen.first { $0.event == kind }) }
        // The submit: one event per depot with its counts, then its commits.
        let ingested = seen.filter { $0.event == "ingested" }
        #expect(ingested.map { $0.text("depot") } == ["main", "south"])
        #expect(ingested[0]["count"] == JSON(25) && ingested[0]["units"] == JSON(25) && ingested[0]["customer_id"] == nil)
        #expect(ingested[1]["count"] == JSON(2) && ingested[1]["units"] == JSON(4) && ingested[1].text("customer_id") == "X")
        let firstCommits = seen.dropFirst(2).prefix { $0.event == "committed" }
        #expect(firstCommits.count == 12, "10 in main, 2 in south")
        #expect(Set(firstCommits.compactMap { $0.text("order_id") }) == Set((0..<10).map { "C-\($0)" } + ["S-0", "S-1"]))
        for e in firstCommits {
            #expect(e.text("slot_start") == tomorrow && e.text("customer_id") != nil && e.text("depot") != nil, "\(e)")
        }
        // Capacity, and the promises it moved: the last two in service order.
        let cap = try one("capacity")
        #expect(cap.text("depot") == "main" && cap.text("slot_start") == tomorrow && cap["order_id"] == nil)
        let moved = seen.filter { $0.event == "promise_moved" }
        #expect(Set(moved.compactMap { $0.text("order_id") }) == ["C-8", "C-9"])
        #expect(moved.allSatisfy { $0.text("from_slot") == tomorrow && $0.text("slot_start") == after && $0.text("depot") == "main" })
        let expedited = try one("expedited")
        #expect(expedited.text("order_id") == "C-24" && expedited.text("customer_id") == "C-24")
        #expect(expedited.text("slot_start") == after, "the day after has room beside the two moved promises")
        #expect(afterThat != after)
        #expect(try one("delivered").text("order_id") == "C-0")
        #expect(try one("failed").text("order_id") == "C-1")
        let retried = try one("retried")
        #expect(retried.text("order_id") == "C-2" && retried.text("slot_start") == tomorrow)
        #expect(try one("cancelled").text("order_id") == "C-3")
        let complaint = try one("complaint")
        #expect(complaint.text("order_id") == "C-5" && complaint.text("customer_id") == "C-5" && complaint.text("depot") == "main")
        #expect(complaint.text("slot_start") == tomorrow)
        #expect(try one("reload")["order_id"] == nil)

        // The filter: the complaint and the reload, nothing else.
        let few = filtered.events { $0.event == "reload" }
        #expect(few.map(\.event) == ["complaint", "reload"])
        #expect(few.first?.text("order_id") == "C-5")

        // On stop, each watcher's stream ends cleanly after its last event.
        #expect(d.stop() == 0)
        #expect(all.next() == nil)
        #expect(filtered.next() == nil)
    }

    @Test func manyWatchersEachGetTheSameStreamAndOneThatLeavesChangesNothing() throws {
        let d = try DaemonFixture(config: Self.config)
        var watchers = try (0..<40).map { i in try Watcher(d, events: i % 2 == 0 ? nil : ["complaint"]) }
        // One leaves at once: the others go on, and the daemon forgets it.
        _ = watchers.removeLast()
        let c = try d.client()
        #expect(try c.call(submitJSON((0..<12).map { orderJSON("M-\($0)", "C-\($0)") })).isOK)
        #expect(try c.call(["op": "complain", "order_id": "M-11"]).isOK)
        let streams = watchers.map { w in w.events { $0.event == "complaint" } }
        let all = streams.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        let complaintsOnly = streams.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let first = all[0].map { "\($0.event) \($0.text("order_id") ?? "")" }
        #expect(first.count == 1 + 10 + 1, "ingested, 10 promised, the complaint: \(first)")
        for s in all { #expect(s.map { "\($0.event) \($0.text("order_id") ?? "")" } == first) }
        for s in complaintsOnly { #expect(s.map(\.event) == ["complaint"]) }
        #expect(try c.call(["op": "status"]).isOK)
        #expect(d.stop() == 0)
        for w in watchers { #expect(w.next() == nil) }
    }

    @Test func badWatchRequestsChangeNothingAndARequestAfterAWatchIsNeverRead() throws {
        let d = try DaemonFixture(config: Self.config)
        let c = try d.client()
        let unknown = try c.call(["op": "watch", "events": ["committed", "teleported"]])
        #expect(unknown["ok"] == .bool(false))
        #expect(unknown["error"]?.objectValue?["code"] == "invalid_argument")
        let message = unknown["error"]?.objectValue?["message"]?.stringValue ?? ""
        #expect(message.contains("'teleported'") && message.contains("known: ingested, committed"), "\(message)")
        #expect(try c.call(["op": "watch", "events": "committed"])["error"]?.objectValue?["code"] == "invalid_argument")
        #expect(try c.call(["op": "watch", "since": 3])["error"]?.objectValue?["code"] == "invalid_argument")
        // The connection stays usable and is no watcher.
        #expect(try c.call(["op": "status"]).isOK)

        // `watch` then `status` in one write: the status is never answered.
        let w = try d.client()
        try w.sendRaw(Array(#"{"id":1,"op":"watch","events":["ingested"]}"#.utf8) + [10] + Array(#"{"id":2,"op":"status"}"#.utf8) + [10])
        let answer = try w.receive()
        #expect(answer["id"] == JSON(1) && answer["watching"] == .bool(true))
        #expect(try c.call(submitJSON([orderJSON("A", "C-1")])).isOK)
        let next = try w.receive()
        #expect(next["event"] == "ingested" && next["id"] == nil, "\(next)")
        #expect(!w.hasData(within: 0.3), "nothing but events comes on a watch")
        // A watcher that half-closes (EOF after its request) still gets its events.
        let half = try d.client()
        try half.send(["op": "watch", "events": ["ingested"]])
        #expect(shutdown(half.fd, Int32(SHUT_WR)) == 0)
        #expect(try half.receive()["watching"] == .bool(true))
        #expect(try c.call(submitJSON([orderJSON("B", "C-1")])).isOK)
        #expect(try half.receive()["order_id"] == "B")
    }

    /// The contract's bound, 10,000: a watcher that reads keeps up with
    /// submits of 1,000 promised orders each, one that never reads is cut
    /// off, and meanwhile the daemon answers and ingests as usual. Once it
    /// reads, it gets what was on its way, the overflow line, and the close.
    @Test func aWatcherThatNeverReadsGetsTheOverflowLineAndTheDaemonGoesOn() throws {
        let config = Self.config.replacingOccurrences(of: "capacity = 10\n[depot.south]", with: "capacity = 100000\n[depot.south]")
        #expect(config != Self.config)
        let d = try DaemonFixture(config: config)
        let stuck = try Watcher(d)
        let reader = try Watcher(d, events: ["committed", "ingested"])
        let counted = Atomic<Int>(0)
        let overflowed = Atomic<Bool>(false)
        let readerDone = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let readerClient = reader.client
        Thread {
            while let line = try? readerClient.readLine(timeout: 20) {
                if line.starts(with: Array(#"{"event":"overflow""#.utf8)) { overflowed.store(true, ordering: .relaxed) }
                if line.starts(with: Array(#"{"event":"committed""#.utf8)) { counted.add(1, ordering: .relaxed) }
            }
            readerDone.signal()
        }.start()

        let c = try d.client()
        let lookup = try d.client()
        var submits = 0
        var slowestStatus = 0.0
        while d.stderr().range(of: "watch_overflow") == nil && submits < 40 {
            let orders = (0..<1000).map { orderJSON("O-\(submits)-\($0)", "C-\($0 % 50)") }
            #expect(try c.call(submitJSON(orders), timeout: 60).isOK)
            submits += 1
            let t = MonotonicClock.seconds()
            #expect(try lookup.call(["op": "status"]).isOK)
            slowestStatus = max(slowestStatus, MonotonicClock.seconds() - t)
        }
        #expect(d.stderr().contains("watch_overflow"), "no overflow after \(submits) submits of 1,000 promised orders")
        #expect(submits > 10, "the bound is 10,000 events: \(submits) submits sufficed")
        // The daemon goes on: more orders, lookups, and the reader gets every commit.
        #expect(try c.call(submitJSON((0..<1000).map { orderJSON("after-\($0)", "C-1") })).isOK)
        #expect(slowestStatus < 5, "a status took \(slowestStatus) s while the watcher was stuck")
        let expected = (submits + 1) * 1000
        #expect(waitUntil(timeout: 30) { counted.load(ordering: .relaxed) == expected }, "\(counted.load(ordering: .relaxed)) of \(expected)")
        let readerOverflowed = overflowed.load(ordering: .relaxed)
        #expect(!readerOverflowed, "the watcher that reads was cut off")

        // The stuck one reads at last: events that were on their way, then the overflow line, then the close.
        var lines = 0
        var last: JSONObject?
        while let e = stuck.next(timeout: 10) {
            lines += 1
            last = e
        }
        let overflow = try #require(last)
        #expect(overflow.event == "overflow", "\(overflow)")
        #expect((overflow["dropped"]?.intValue ?? 0) > 0)
        #expect(lines < 10_000 + 2, "what was on its way is what the sockets held, not the queue: \(lines)")
        #expect(lines - 1 + (overflow["dropped"]?.intValue ?? 0) <= expected + submits + 2)
        #expect(try c.call(["op": "status"]).isOK)
        #expect(d.stop() == 0)
        readerDone.wait()
    }

    /// `fairwayctl watch`: a readable line per event, `--json` lines, the
    /// events filter, the close on stop (exit 3) and the overflow (exit 4,
    /// with the test hook lowering the bound to 2 events).
    @Test func fairwayctlWatchPrintsEachEventAndExitsWithAClearStatus() throws {
        let d = try DaemonFixture(config: Self.config, environment: ["FAIRWAY_TEST_WATCH_BOUND": "2"])
        let ctl = binaryDirectory() + "/fairwayctl"
        let dir = d.dir
        func spawn(_ name: String, _ arguments: [String]) throws -> ChildProcess {
            try ChildProcess.spawn(
                ctl, arguments: ["--socket", d.socketPath] + arguments, stderrPath: dir.appending("\(name).err"),
                stdoutPath: dir.appending("\(name).out"))
        }
        let readable = try spawn("readable", ["watch", "--events", "complaint"])
        let json = try spawn("json", ["--json", "watch", "--events", "complaint,reload"])
        let flood = try spawn("flood", ["watch"])
        // Each is watching once it says so.
        for name in ["readable", "flood"] {
            #expect(waitUntil(timeout: 10) { readFile(dir.appending("\(name).err")).contains("Watching") }, "\(name)")
        }
        #expect(waitUntil(timeout: 10) { readFile(dir.appending("json.out")).contains("watching") })
        let c = try d.client()
        #expect(try c.call(submitJSON((0..<5).map { orderJSON("A-\($0)", "C-\($0)") })).isOK)
        #expect(waitUntil(timeout: 10) { flood.exitStatus() != nil }, "six events at once overflow a bound of 2")
        #expect(flood.exitStatus() == 4)
        #expect(readFile(dir.appending("flood.err")).contains("fell more than"), "\(readFile(dir.appending("flood.err")))")

        #expect(try c.call(["op": "complain", "order_id": "A-1", "note": "where is it?"]).isOK)
        #expect(waitUntil(timeout: 10) { readFile(dir.appending("readable.out")).contains("A-1") })
        #expect(waitUntil(timeout: 10) { readFile(dir.appending("json.out")).contains("A-1") })
        let text = readFile(dir.appending("readable.out"))
        #expect(text.contains("complaint") && text.contains("complaint about order A-1: where is it?"), "\(text)")
        #expect(!text.contains("{"), "a person gets sentences, not JSON: \(text)")
        let lines = readFile(dir.appending("json.out")).split(separator: "\n").map { try? JSONParser.parse(String($0)) }
        #expect(lines.count == 2)
        #expect(lines.first??.objectValue?["watching"] == .bool(true))
        #expect(lines.last??.objectValue?["event"] == "complaint")

        #expect(d.stop() == 0)
        #expect(readable.wait(timeout: 10) == 3)
        #expect(json.wait(timeout: 10) == 3)
        #expect(readFile(dir.appending("readable.err")).contains("closed the stream"))

        // A usage error names the unknown event; the daemon is not asked.
        let bad = try runCommand(ctl, ["--socket", d.socketPath, "watch", "--events", "committed,teleported"])
        #expect(bad.status == 2 && bad.stderr.contains("teleported"), "\(bad)")
    }
}
