// The arguments of `simulate`, validated.

import FairwayCore
import FairwaySimulation

/// What `simulate` was asked for: a replay of a trace, or a generated trace.
struct SimulateOptions: Sendable, Equatable {
    /// `--config`: the config file (required for a replay; `--generate`
    /// falls back on the built-in scenario config).
    var config: String?
    /// `--trace`: the trace file, `-` for standard input.
    var trace: String?
    /// `--policy`: the policies, in the order given.
    var policies: [ServicePolicy] = ServicePolicy.allCases
    /// `--capacity DEPOT=N`, each given.
    var capacities: [String: Int] = [:]
    /// `--svg DIR`.
    var svgDirectory: String?
    /// `--generate` with its options; nil for a replay.
    var generate: TraceGenerator.Options?

    /// The options from the parsed command line, or what is wrong with them.
    static func parse(values: [String: String], lists: [String: [String]], flags: Set<String>) -> Result<SimulateOptions, UsageError> {
        func fail(_ message: String) -> Result<SimulateOptions, UsageError> {
            .failure(UsageError("simulate: \(message)", command: "simulate"))
        }
        var options = SimulateOptions()
        options.config = values["config"]
        let generatorKeys = ["seed", "days", "customers", "load", "clump-every", "vocal-share", "expedite-share"]
        if flags.contains("generate") {
            for key in ["trace", "policy", "svg"] where values[key] != nil {
                return fail("--\(key) is for a replay; --generate only writes a trace")
            }
            if lists["capacity"] != nil { return fail("--capacity is for a replay; --generate only writes a trace") }
            var g = TraceGenerator.Options()
            if let text = values["seed"] {
                guard let seed = UInt64(text) else { return fail("--seed must be a whole number from 0 to \(UInt64.max), not '\(text)'") }
                g.seed = seed
            }
            if let text = values["days"] {
                switch CommandLineParser.number(text, option: "days", in: 1...3660, command: "simulate") {
                case .success(let n): g.days = n
                case .failure(let e): return .failure(e)
                }
            }
            if let text = values["customers"] {
                switch CommandLineParser.number(text, option: "customers", in: 1...10_000_000, command: "simulate") {
                case .success(let n): g.customers = n
                case .failure(let e): return .failure(e)
                }
            }
            if let text = values["clump-every"] {
                switch CommandLineParser.number(text, option: "clump-every", in: 1...8760, command: "simulate") {
                case .success(let n): g.clumpEveryHours = n
                case .failure(let e): return .failure(e)
                }
            }
            if let text = values["load"] {
                guard let load = Double(text), load > 0, load <= 10 else { return fail("--load must be a number above 0 and at most 10, not '\(text)'") }
                g.load = load
            }
            if let text = values["vocal-share"] {
                guard let share = Double(text), share >= 0, share <= 1 else { return fail("--vocal-share must be a number from 0 to 1, not '\(text)'") }
                g.vocalShare = share
            }
            if let text = values["expedite-share"] {
                guard let share = Double(text), share >= 0, share <= 1 else { return fail("--expedite-share must be a number from 0 to 1, not '\(text)'") }
                g.expediteShare = share
            }
            options.generate = g
            return .success(options)
        }
        if let key = generatorKeys.first(where: { values[$0] != nil }) {
            return fail("--\(key) is an option of --generate")
        }
        guard options.config != nil else { return fail("--config CONF is needed: the tiers, depots, horizon and lead to replay with") }
        guard let trace = values["trace"] else { return fail("--trace FILE is needed (or --generate to write one)") }
        options.trace = trace
        options.svgDirectory = values["svg"]
        if let text = values["policy"] {
            var policies: [ServicePolicy] = []
            for name in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                guard let policy = ServicePolicy(rawValue: name) else {
                    return fail("--policy: unknown policy '\(name)' (known: \(ServicePolicy.names))")
                }
                guard !policies.contains(policy) else { return fail("--policy: '\(name)' is named twice") }
                policies.append(policy)
            }
            options.policies = policies
        }
        for item in lists["capacity"] ?? [] {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let n = Int(parts[1]), n >= 1, n <= 100_000_000 else {
                return fail("--capacity must be DEPOT=N with N a whole number from 1 to 100000000, not '\(item)'")
            }
            guard options.capacities[String(parts[0])] == nil else { return fail("--capacity: depot '\(parts[0])' is given twice") }
            options.capacities[String(parts[0])] = n
        }
        return .success(options)
    }
}
