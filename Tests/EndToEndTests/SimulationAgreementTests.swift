import FairwayCore
import FairwayProtocol
import FairwaySimulation
import Foundation
import Glibc
import Testing

/// `fair` in the simulator is the daemon's own planning: a trace replayed
/// into a real `fairwayd` with 2 s slots, each event sent at its time, gives
/// every order the slot the simulator gives it, capacity changes and
/// expedites (honoured or refused) included.
///
/// Real time is the only difference: the daemon receives an order a few
/// milliseconds after its `at`, and rolls its horizon within 250 ms of a slot
/// boundary (the simulator: at the boundary). Neither matters as long as each
/// event reaches the daemon in the slot its `at` is in, because the schedule
/// depends on the time only through the slot index. Events are placed 0.6 s
/// into their slot, and the test checks that every answer came before the
/// slot ended, so the comparison is exact, not approximate.
@Suite(.serialized) struct SimulationAgreementTests {
    static let slot: Int64 = 2
    static let config = """
        [scheduling]
        default-depot = main
        default-tier = standard
        commit-horizon = 2
        lead-slots = 1
        expedite-budget = 50
        [tier.platinum]
        weight = 8
        [tier.gold]
        weight = 4
        [tier.standard]
        weight = 2
        [tier.basic]
        weight = 1
        [depot.main]
        slot-length = 2s
        capacity = 6
        [depot.south]
        slot-length = 2s
        capacity = 4
        """

    /// Six slots of clumps (about 1.3 slots' worth of units each), complaints,
    /// a truck down on main (moving promises) and back, and expedites of
    /// orders still waiting and of one likely promised already, from `start`.
    static func trace(start: Int64, seed: UInt64) -> Trace {
        var rng = SeededRandom(seed: seed)
        let tiers = ["platinum", "gold", "standard", "basic"]
        var events: [TraceEvent] = []
        var n = 0
        for k in 0..<6 {
            let at = Timestamp(milliseconds: (start + Int64(k) * slot) * 1000 + 600)
            for _ in 0..<(3 + Int(rng.next() % 4)) {
                n += 1
                let customer = "C-\(rng.next() % 9)"
                events.append(TraceEvent(
                    at: at, kind: .order, orderID: "SO-\(n)", customerID: customer, units: 1 + Int(rng.next() % 3),
                    tier: tiers[Int(customer.last!.asciiValue! % 4)], depot: rng.next() % 3 == 0 ? "south" : "main"))
            }
            if k > 0 {
                events.append(TraceEvent(at: at.adding(seconds: 0), kind: .complaint, orderID: "SO-\(1 + Int(rng.next() % UInt64(n)))"))
            }
            let slotAt = { (k: Int64) in Timestamp(seconds: start + k * slot) }
            switch k {
            case 1:
                // A bulk customer's eight orders fill main's promised slots and queue;
                // then lowering slot 3, promised by now, moves promises.
                for b in 1...8 {
                    events.append(TraceEvent(
                        at: at, kind: .order, orderID: "SO-B\(b)", customerID: "C-bulk", units: 2, tier: "basic", depot: "main"))
                }
                events.append(TraceEvent(
                    at: at, kind: .capacity, depot: "main", capacity: 1, from: slotAt(3), to: slotAt(5), reason: "truck down"))
            case 2, 3:
                // Bulk orders still waiting, and an order of the first clump (promised by now).
                events.append(TraceEvent(at: at, kind: .expedite, orderID: "SO-B\(10 - k)", reason: "hospital \(k)"))
                events.append(TraceEvent(at: at, kind: .expedite, orderID: "SO-\(k)", reason: "clinic \(k)"))
            case 4:
                events.append(TraceEvent(at: at, kind: .capacity, depot: "main", from: slotAt(4), to: slotAt(5)))
            default:
                break
            }
        }
        // The orders of an instant before its other events (the trace keeps time order).
        return Trace(events: events.enumerated().sorted { ($0.element.at, $0.element.kind == .order ? 0 : 1, $0.offset) < ($1.element.at, $1.element.kind == .order ? 0 : 1, $1.offset) }.map(\.element))
    }

    /// Sends each event of `trace` at its time; fails if one is answered
    /// after its slot ended. Returns what became of the expedites.
    static func play(_ trace: Trace, into daemon: DaemonFixture) throws -> ExpediteTally {
        var expedites = ExpediteTally()
        let client = try daemon.client()
        var i = 0
        var id = 0
        while i < trace.events.count {
            let at = trace.events[i].at
            let wait = Double(at.milliseconds) / 1000 - Date().timeIntervalSince1970
            if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
            var j = i
            var orders: [JSON] = []
            while j < trace.events.count && trace.events[j].at == at && trace.events[j].kind == .order {
                let e = trace.events[j]
                orders.append(orderJSON(
                    e.orderID!, e.customerID!, units: e.units, tier: e.tier, depot: e.depot,
                    extra: [("cleared_at", .string(Trace.time(at)))]))
                j += 1
            }
            id += 1
            let answer: JSONObject
            let e = trace.events[i]
            switch e.kind {
            case .order:
                answer = try client.call(submitJSON(orders, id: id))
            case .complaint:
                answer = try client.call(["id": JSON(id), "op": "complain", "order_id": .string(e.orderID!)])
            case .capacity:
                var request: JSONObject = [
                    "id": JSON(id), "op": "capacity", "depot": .string(e.depot!), "from": .string(e.from!.rfc3339),
                    "to": .string(e.to!.rfc3339),
                ]
                if let capacity = e.capacity { request.append("capacity", JSON(capacity)) }
                if let reason = e.reason { request.append("reason", .string(reason)) }
                answer = try client.call(.object(request))
            case .expedite:
                answer = try client.call([
                    "id": JSON(id), "op": "expedite", "order_id": .string(e.orderID!), "reason": .string(e.reason!),
                ])
                expedites.asked += 1
                // Refused when no earlier slot has budget, or when the order is promised already.
                switch answer.errorCode {
                case nil: expedites.honoured += 1
                case "over_budget": expedites.overBudget += 1
                case "conflict": expedites.notQueued += 1
                default: Issue.record("expedite \(e.orderID!): \(answer)")
                }
            }
            if e.kind != .order { j = i + 1 }
            #expect(answer.isOK || e.kind == .expedite, "\(answer)")
            let slotEnd = (at.seconds / slot + 1) * slot
            let answered = Date().timeIntervalSince1970
            guard answered < Double(slotEnd) else {
                throw FixtureError("the event at \(at) was answered \(answered - Double(at.milliseconds) / 1000) s late, after its slot ended: the machine is too busy for this test")
            }
            i = j
        }
        return expedites
    }

    /// Waits until nothing is queued, then every order's slot start by order id.
    static func daemonSlots(_ daemon: DaemonFixture, from: Int64) throws -> [String: Int64] {
        let client = try daemon.client()
        let deadline = Date().addingTimeInterval(60)
        while try client.call(["op": "status"])["queued"] != JSON(0) {
            guard Date() < deadline else { throw FixtureError("orders still queued after 60 s") }
            usleep(200_000)
        }
        let answer = try client.call(["op": "schedule", "from": .string(Timestamp(seconds: from - 60).rfc3339)])
        var slots: [String: Int64] = [:]
        for slot in answer["slots"]?.arrayValue ?? [] {
            let s = slot.objectValue!
            let start = Timestamp(rfc3339: s["start"]!.stringValue!)!.seconds
            for order in s["orders"]?.arrayValue ?? [] { slots[order.stringValue!] = start }
        }
        return slots
    }

    /// Then the daemon's own history, exported as a trace and replayed, gives the same slots again.
    @Test func fairInTheSimulatorGivesEveryOrderTheDaemonsSlot() throws {
        let daemon = try DaemonFixture(config: Self.config)
        defer { daemon.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        let start = (now / Self.slot + 2) * Self.slot
        let trace = Self.trace(start: start, seed: UInt64(start))
        let expedites = try Self.play(trace, into: daemon)
        let daemonSlots = try Self.daemonSlots(daemon, from: start)
        #expect(expedites.asked == 4 && expedites.honoured > 0, "\(expedites)")

        let config = try ConfigParser.parse(try String(contentsOfFile: daemon.configPath, encoding: .utf8), file: daemon.configPath)
        let result = try Replay.run(Scenario(config: config, trace: trace), policy: .fair)
        var simulated: [String: Int64] = [:]
        for o in result.outcomes { simulated[o.orderID] = o.slotStart }
        #expect(simulated.count == trace.events.filter { $0.kind == .order }.count)
        #expect(simulated == daemonSlots)
        // The same expedites honoured and refused, for the same reasons.
        #expect(result.expedites == expedites)
        #expect(PolicyReport(result).promisesMoved > 0)

        // Export then simulate: the daemon's history, written by `fairwayctl export`
        // and replayed under fair, gives back the daemon's slots; with one
        // depot's capacity changed it gives others.
        let (status, csv, err) = try CommandLineTests().ctl(daemon, ["export", "--from", Timestamp(seconds: start - 60).rfc3339])
        #expect(status == 0, "\(err)")
        let exported = try Trace(csv: Array(csv.utf8))
        #expect(exported.events.filter { $0.kind == .order }.count == simulated.count)
        #expect(exported.events.filter { $0.kind == .complaint }.count == trace.events.filter { $0.kind == .complaint }.count)
        // Its capacity changes as made, its expedites those the daemon honoured (a refused one changed nothing).
        func changes(_ t: Trace) -> [String] {
            t.events.filter { $0.kind == .capacity }.map { "\($0.depot!) \($0.from!) \($0.to!) \($0.capacity ?? -1) \($0.reason ?? "")" }
        }
        #expect(changes(exported) == changes(trace))
        #expect(exported.events.filter { $0.kind == .expedite }.count == expedites.honoured)
        let replayed = try Replay.run(Scenario(config: config, trace: exported), policy: .fair)
        #expect(Dictionary(uniqueKeysWithValues: replayed.outcomes.map { ($0.orderID, $0.slotStart!) }) == daemonSlots)
        #expect(replayed.expedites.honoured == expedites.honoured && replayed.expedites.asked == expedites.honoured)
        #expect(PolicyReport(replayed).promisesMoved == PolicyReport(result).promisesMoved)
        let wider = try Replay.run(Scenario(config: config, trace: exported, capacities: ["main": 12]), policy: .fair)
        #expect(wider.outcomes.map(\.slotStart) != replayed.outcomes.map(\.slotStart))
        // An empty window exports a header only.
        let (_, none, _) = try CommandLineTests().ctl(daemon, ["export", "--to", "2020-01-01"])
        #expect(none == Trace.columns.joined(separator: ",") + "\n")

        // The trace was not one the policies agree on: fifo plans it otherwise.
        let fifo = try Replay.run(Scenario(config: config, trace: trace), policy: .fifo)
        #expect(fifo.outcomes.map(\.slotStart) != result.outcomes.map(\.slotStart))
    }
}
