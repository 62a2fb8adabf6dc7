// The simulator's speed: a generated trace replayed under each policy, in process.

import FairwayCore
import FairwayPOSIX
import FairwaySimulation

/// `--only simulate`: orders per second of a replay per policy, on a trace of
/// 1,000,000 orders over 90 days (100,000 over 9 with `--quick`), with
/// complaints and an operator's expedites of 0.5 % of the orders; trace
/// generation, CSV writing and parsing timed apart.
struct SimulateBench {
    let options: BenchOptions
    let report: Report

    /// The share of the orders an operator expedites in the trace.
    static let expediteShare = 0.005

    func run() throws(BenchError) {
        let section = "simulator: replay of a generated trace"
        // The example scenario's tiers and hour slots, with depots 48 times
        // as big: 90 days at load 0.9 make about 1M orders.
        var config: FairwayConfig
        do {
            config = try ConfigParser.parse(ScenarioDefaults.configText, file: ScenarioDefaults.configName)
        } catch {
            throw BenchError("the scenario config: \(error)")
        }
        for i in config.depots.indices { config.depots[i].capacity *= 48 }
        var g = TraceGenerator.Options()
        g.seed = options.seed
        g.days = options.quick ? 9 : 90
        g.customers = options.quick ? 2_000 : 20_000
        g.expediteShare = Self.expediteShare
        var t = MonotonicClock.seconds()
        let trace = TraceGenerator.trace(g, config: config)
        let orders = trace.events.filter { $0.kind == .order }.count
        report.add(section, "trace generated: orders", .count, [Double(orders)])
        let expedites = trace.events.filter { $0.kind == .expedite }.count
        report.add(section, "trace generated: complaints", .count, [Double(trace.events.count - orders - expedites)])
        report.add(section, "trace generated: expedites", .count, [Double(expedites)])
        report.add(section, "generation", .seconds, [MonotonicClock.seconds() - t])
        t = MonotonicClock.seconds()
        let csv = Array(trace.csv().utf8)
        report.add(section, "CSV written", .seconds, [MonotonicClock.seconds() - t])
        t = MonotonicClock.seconds()
        let parsed: Trace
        do {
            parsed = try Trace(csv: csv)
        } catch {
            throw BenchError("the generated trace does not parse: \(error)")
        }
        report.add(section, "CSV parsed", .ordersPerSecond, [Double(orders) / (MonotonicClock.seconds() - t)])
        let scenario: Scenario
        do {
            scenario = try Scenario(config: config, trace: parsed)
        } catch {
            throw BenchError("\(error)")
        }
        for policy in ServicePolicy.allCases {
            progress("simulate: \(policy.rawValue), \(orders) orders over \(g.days) days ...")
            t = MonotonicClock.seconds()
            let result: ReplayResult
            do {
                result = try Replay.run(scenario, policy: policy)
            } catch {
                throw BenchError("replay under \(policy.rawValue): \(error)")
            }
            let replay = MonotonicClock.seconds() - t
            t = MonotonicClock.seconds()
            let policyReport = PolicyReport(result)
            let placed = policyReport.placed
            let reportSeconds = MonotonicClock.seconds() - t
            report.add(section, "\(policy.rawValue): replay", .ordersPerSecond, [Double(orders) / replay])
            report.add(section, "\(policy.rawValue): report", .seconds, [reportSeconds])
            report.add(section, "\(policy.rawValue): expedites honoured", .count, [Double(policyReport.expedites.honoured)])
            if placed != orders { report.note("simulate \(policy.rawValue): \(orders - placed) orders not placed") }
        }
    }
}
