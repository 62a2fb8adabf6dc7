public import FairwayCore

/// What a replay runs: a config and a trace, with depot capacities
/// optionally replaced (the `--capacity DEPOT=N` of a scenario).
public struct Scenario: Sendable {
    /// The config the scheduler runs with (capacities already replaced).
    public var config: FairwayConfig
    /// The events.
    public var trace: Trace

    /// A scenario; `capacities` replaces the config's capacity per slot of
    /// the named depots (each must exist, each capacity at least 1).
    public init(config: FairwayConfig, trace: Trace, capacities: [String: Int] = [:]) throws(TraceError) {
        var config = config
        for (name, capacity) in capacities.sorted(by: { $0.key < $1.key }) {
            guard let i = config.depots.firstIndex(where: { $0.name == name }) else {
                throw TraceError(line: 0, message: "capacity: no depot named '\(name)' (known: \(config.depots.map(\.name).joined(separator: ", ")))")
            }
            guard capacity >= 1 else { throw TraceError(line: 0, message: "capacity: depot '\(name)' needs at least 1 unit per slot, not \(capacity)") }
            config.depots[i].capacity = capacity
        }
        self.config = config
        self.trace = trace
    }
}
