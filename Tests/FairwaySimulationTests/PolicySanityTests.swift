import FairwayCore
import FairwaySimulation
import Testing

/// Each policy, replayed on generated traces, serves in its own order:
/// whenever an order got an earlier slot than one that was waiting and came
/// before it in the policy's order, the waiting one could not fit in that
/// slot (first fit: "a later order may use room an earlier order cannot fit
/// into"). And no slot holds more than its capacity.
@Suite struct PolicySanityTests {
    static let seeds: [UInt64] = [1, 2]

    /// The policy's order at the moment `t` (complaints so far count).
    func precedes(
        _ a: OrderOutcome, _ ai: Int, _ b: OrderOutcome, _ bi: Int, policy: ServicePolicy, at t: Timestamp,
        complaints: [String: [Timestamp]]
    ) -> Bool {
        func count(_ o: OrderOutcome) -> Int { complaints[o.customerID, default: []].filter { $0 < t }.count }
        switch policy {
        case .fair: return (a.serviceKey, ai) < (b.serviceKey, bi)
        case .fifo: return (a.clearedAt, ai) < (b.clearedAt, bi)
        case .strictTier: return (-a.weight, a.clearedAt, ai) < (-b.weight, b.clearedAt, bi)
        case .complaints: return (-count(a), a.clearedAt, ai) < (-count(b), b.clearedAt, bi)
        }
    }

    func check(seed: UInt64, policy: ServicePolicy) throws {
        let config = scenarioConfig()
        let trace = generatedTrace(seed: seed, config: config)
        let result = try Replay.run(Scenario(config: config, trace: trace), policy: policy)
        let outcomes = result.outcomes
        #expect(outcomes.count > 300)
        #expect(outcomes.allSatisfy { $0.slotStart != nil })
        var customerOf: [String: String] = [:]
        for o in outcomes { customerOf[o.orderID] = o.customerID }
        var complaints: [String: [Timestamp]] = [:]
        var complaintTimes: Set<Timestamp> = []
        for e in trace.events where e.kind == .complaint {
            complaints[customerOf[e.orderID!]!, default: []].append(e.at)
            complaintTimes.insert(e.at)
        }
        // Capacity: units per slot from the outcomes themselves.
        var used: [String: [Int64: Int]] = [:]
        for o in outcomes { used[o.depot, default: [:]][o.slotStart!, default: 0] += o.units }
        for depot in config.depots {
            for (slot, units) in used[depot.name] ?? [:] {
                #expect(units <= depot.capacity, "\(policy) \(depot.name) slot \(slot): \(units) units")
            }
        }
        var violations: [String] = []
        for (bi, b) in outcomes.enumerated() {
            let t = b.promisedAt!
            // A complaint at that very instant may come before or after the commit.
            if policy == .complaints && complaintTimes.contains(t) { continue }
            for (ai, a) in outcomes.enumerated() where ai != bi && a.depot == b.depot && a.slotStart! > b.slotStart! {
                // a waited when b was promised: received before, or in the same
                // clump (a clump at a slot boundary comes after that boundary's tick).
                guard a.clearedAt < t || (a.clearedAt == t && b.clearedAt == t), a.promisedAt! >= t else { continue }
                guard precedes(a, ai, b, bi, policy: policy, at: t, complaints: complaints) else { continue }
                let room = config.depot(named: b.depot)!.capacity - used[b.depot]![b.slotStart!]! + b.units
                let notBefore = a.notBefore.map { $0.milliseconds > b.slotStart! * 1000 } ?? false
                if room >= a.units && !notBefore {
                    violations.append("\(b.orderID) (slot \(b.slotStart!)) served before waiting \(a.orderID) (slot \(a.slotStart!))")
                }
            }
        }
        #expect(violations.isEmpty, "\(policy), seed \(seed): \(violations.prefix(5))")
    }

    @Test(arguments: ServicePolicy.allCases)
    func everyPolicyServesInItsOwnOrderWithinCapacity(policy: ServicePolicy) throws {
        for seed in Self.seeds { try check(seed: seed, policy: policy) }
    }

    /// The bounded-wait rule of `fair`: once the depot's virtual time (the
    /// largest tag served so far) has reached an order's tag, every order
    /// received afterwards gets a larger tag, so (by the check above) none
    /// is served before it.
    @Test func fairKeepsTheBoundedWaitRule() throws {
        let config = scenarioConfig()
        for seed in Self.seeds {
            let result = try Replay.run(Scenario(config: config, trace: generatedTrace(seed: seed, config: config)), policy: .fair)
            let byDepot = Dictionary(grouping: result.outcomes.indices, by: { result.outcomes[$0].depot })
            for (_, indexes) in byDepot {
                let served = indexes.sorted { result.outcomes[$0].promisedAt! < result.outcomes[$1].promisedAt! }
                var virtualTime = -Double.infinity
                var next = 0
                for i in indexes {
                    let b = result.outcomes[i]
                    // Served strictly before b was received.
                    while next < served.count && result.outcomes[served[next]].promisedAt! < b.clearedAt {
                        virtualTime = max(virtualTime, result.outcomes[served[next]].serviceKey)
                        next += 1
                    }
                    #expect(b.serviceKey > virtualTime, "\(b.orderID) got tag \(b.serviceKey) at virtual time \(virtualTime)")
                }
            }
        }
    }

    @Test func generatedTracesAreClumpyAndReproducible() throws {
        let config = scenarioConfig()
        let a = generatedTrace(seed: 3, config: config)
        #expect(a == generatedTrace(seed: 3, config: config))
        #expect(a != generatedTrace(seed: 4, config: config))
        let orders = a.events.filter { $0.kind == .order }
        let byTime = Dictionary(grouping: orders, by: \.at).values.map(\.count).sorted(by: >)
        // Most orders arrive in the few clumps (three a day).
        #expect(byTime.prefix(9).reduce(0, +) * 10 >= orders.count * 7)
        // Heavy-tailed: the busiest tenth of the customers place a third or more.
        let perCustomer = Dictionary(grouping: orders, by: { $0.customerID! }).values.map(\.count).sorted(by: >)
        #expect(perCustomer.prefix(perCustomer.count / 10).reduce(0, +) * 3 >= orders.count)
        // Complaints come only from the vocal customers, about their own orders, after them.
        let complaints = a.events.filter { $0.kind == .complaint }
        #expect(!complaints.isEmpty)
        let ordered = Dictionary(uniqueKeysWithValues: orders.map { ($0.orderID!, $0) })
        #expect(complaints.allSatisfy { ordered[$0.orderID!]!.at < $0.at })
        // Units cleared ≈ the load's share of capacity (0.95 of 3 days of 18 units an hour).
        let units = orders.reduce(0) { $0 + $1.units! }
        #expect(abs(Double(units) - 0.95 * 18 * 72) < 10)
    }
}
