import FairwayCore
import FairwaySimulation

/// 2026-11-23T00:00:00Z.
let t0 = Timestamp(seconds: 1_795_392_000)

/// Hour slots, horizon 2, lead 1, four tiers; depots as given.
func scenarioConfig(depots: [(String, Int)] = [("north", 10), ("south", 8)], slotLength: Int64 = 3600) -> FairwayConfig {
    var c = FairwayConfig()
    c.stateDirectory = "/tmp/unused"
    c.defaultDepot = depots[0].0
    c.defaultTier = "standard"
    c.commitHorizon = 2
    c.leadSlots = 1
    c.tiers = [("platinum", 8), ("gold", 4), ("standard", 2), ("basic", 1)].map { FairwayConfig.Tier(name: $0.0, weight: $0.1) }
    c.depots = depots.map { FairwayConfig.Depot(name: $0.0, slotLength: slotLength, capacity: $0.1) }
    return c
}

/// A small generated trace for `config`.
func generatedTrace(seed: UInt64, config: FairwayConfig, days: Int = 3, customers: Int = 60, load: Double = 0.95) -> Trace {
    var options = TraceGenerator.Options()
    options.seed = seed
    options.days = days
    options.customers = customers
    options.load = load
    return TraceGenerator.trace(options, config: config)
}

func order(_ at: Timestamp, _ id: String, _ customer: String, units: Int? = nil, tier: String? = nil, depot: String? = nil) -> TraceEvent {
    TraceEvent(at: at, kind: .order, orderID: id, customerID: customer, units: units, tier: tier, depot: depot)
}

func complaint(_ at: Timestamp, _ id: String) -> TraceEvent {
    TraceEvent(at: at, kind: .complaint, orderID: id)
}

func replay(_ events: [TraceEvent], _ policy: ServicePolicy, config: FairwayConfig = scenarioConfig()) throws -> ReplayResult {
    try Replay.run(Scenario(config: config, trace: Trace(events: events)), policy: policy)
}

extension ReplayResult {
    /// Delivery slot start by order id.
    var slotByOrder: [String: Int64] {
        Dictionary(uniqueKeysWithValues: outcomes.compactMap { o in o.slotStart.map { (o.orderID, $0) } })
    }
}
