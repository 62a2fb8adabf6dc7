@testable import FairwayCore
import Testing

/// The start of the test clock: 2026-11-23T00:00:00Z.
let t0 = Timestamp(seconds: 1_795_392_000)

/// A config with two tiers, one depot, short slots; override what a test needs.
func makeConfig(
    capacity: Int = 10, slotLength: Int64 = 3600, horizon: Int = 2, lead: Int = 1,
    tiers: [(String, Int)] = [("gold", 8), ("standard", 2)], depots: [String] = ["main"]
) -> FairwayConfig {
    var c = FairwayConfig()
    c.stateDirectory = "/tmp/unused"
    c.defaultDepot = depots[0]
    c.defaultTier = tiers.last!.0
    c.commitHorizon = horizon
    c.leadSlots = lead
    c.tiers = tiers.map { FairwayConfig.Tier(name: $0.0, weight: $0.1) }
    c.depots = depots.map { FairwayConfig.Depot(name: $0, slotLength: slotLength, capacity: capacity) }
    return c
}

func sub(_ id: String, _ customer: String, units: Int? = nil, tier: String? = nil, depot: String? = nil,
         notBefore: Timestamp? = nil, deadline: Timestamp? = nil) -> OrderSubmission {
    OrderSubmission(orderID: id, customerID: customer, units: units, depot: depot, tier: tier,
                    notBefore: notBefore, deadline: deadline)
}

extension Scheduler {
    /// Every slot's used units recomputed from the orders, per depot and slot start.
    func committedUse() -> [String: [Int64: Int]] {
        var use: [String: [Int64: Int]] = [:]
        for o in orders where o.slotStart != nil && o.state != .cancelled {
            use[o.depot, default: [:]][o.slotStart!, default: 0] += Int(o.units)
        }
        return use
    }

    /// The service order of a depot as the schedule shows it: committed
    /// orders slot by slot, then projected ones.
    mutating func flattenedSchedule(depot: String = "main") -> [String] {
        (try! schedule(depot: depot, from: Timestamp(seconds: 0), to: nil)).flatMap(\.orderIDs)
    }
}

/// Restarts `s` from what the store would hold of it (its orders, tiers,
/// virtual times, the capacity changes drained so far and its expedite
/// ledger) at `now`, and checks that the restarted scheduler holds the same
/// orders and schedule with nothing left to store.
@discardableResult
func expectSameAfterRestart(
    _ s: inout Scheduler, capacityChanges: [CapacityChange], now: Timestamp, sourceLocation: SourceLocation = #_sourceLocation
) throws -> Scheduler {
    var tiers: [String: String] = [:]
    for o in s.orders { tiers[o.customerID] = s.customerTier(o.customerID) }
    var vts: [String: Double] = [:]
    for d in s.config.depots { vts[d.name] = s.virtualTime(depot: d.name) }
    var restored = Scheduler.Restored(orders: s.orders, customerTiers: tiers, virtualTimes: vts, capacityChanges: capacityChanges)
    restored.expedites = s.expediteLedger(from: nil, to: nil)
    var r = try Scheduler(config: s.config, restoring: restored, now: now)
    #expect(r.drainChanges().isEmpty, sourceLocation: sourceLocation)
    #expect(Array(r.orders) == Array(s.orders), sourceLocation: sourceLocation)
    let all = Timestamp(seconds: 0)
    #expect(try r.schedule(depot: nil, from: all, to: nil) == s.schedule(depot: nil, from: all, to: nil), sourceLocation: sourceLocation)
    return r
}
