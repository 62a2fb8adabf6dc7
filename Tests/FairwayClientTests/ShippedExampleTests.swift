import FairwayCore
import FairwaySimulation
import Foundation
import Testing

@testable import FairwayClient

/// The worked comparison of docs/simulation.md is what the code makes of the
/// shipped example: its charts are regenerated and compared byte for byte.
@Suite struct ShippedExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func theExampleConfigIsTheBuiltInScenarioConfig() throws {
        #expect(try Self.read("examples/scenario.conf") == ScenarioDefaults.configText)
    }

    @Test func theExampleTraceIsTheGeneratorsAndTheDocsChartsAreItsReplay() throws {
        var g = TraceGenerator.Options()
        g.days = 5
        g.customers = 300
        g.seed = 42
        let config = try ConfigParser.parse(ScenarioDefaults.configText, file: "examples/scenario.conf")
        let csv = try Self.read("examples/clumpy-week.csv")
        #expect(TraceGenerator.trace(g, config: config).csv() == csv, "regenerate: fairwayctl simulate --generate --days 5 --customers 300 --seed 42 > examples/clumpy-week.csv")
        let scenario = try Scenario(config: config, trace: try Trace(csv: Array(csv.utf8)))
        let results = try ServicePolicy.allCases.map { try Replay.run(scenario, policy: $0) }
        for file in ScenarioCharts.files(results) {
            #expect(try Self.read("docs/simulation/" + file.name) == file.svg,
                    "regenerate: fairwayctl simulate --config examples/scenario.conf --trace examples/clumpy-week.csv --svg docs/simulation, and check the numbers in docs/simulation.md")
        }
        // The numbers the worked comparison quotes.
        let reports = results.map(PolicyReport.init)
        #expect(reports.map { SimulationRenderer.decimal($0.vwMeanWait) } == ["3.51", "4.41", "4.40", "3.39"])
        #expect(reports.map { SimulationRenderer.decimal($0.vocalAdvantage) } == ["1.00", "0.88", "1.60", "0.88"])
        #expect(reports[0].tiers.map { SimulationRenderer.decimal($0.mean) } == ["1.22", "2.17", "4.27", "4.51"])
    }

    /// The expedites of the worked comparison: the same week plus 16 calls.
    @Test func theExpeditedWeekIsTheExampleWeekPlusItsExpeditesAndTheDocsTallies() throws {
        var g = TraceGenerator.Options()
        g.days = 5
        g.customers = 300
        g.seed = 42
        g.expediteShare = 0.02
        let config = try ConfigParser.parse(ScenarioDefaults.configText, file: "examples/scenario.conf")
        let trace = TraceGenerator.trace(g, config: config)
        #expect(Trace(events: trace.events.filter { $0.kind != .expedite }).csv() == (try Self.read("examples/clumpy-week.csv")))
        let calls = trace.events.filter { $0.kind == .expedite }
        #expect(calls.count == 16)
        let scenario = try Scenario(config: config, trace: trace)
        let tallies = try ServicePolicy.allCases.map { p in
            let e = try Replay.run(scenario, policy: p).expedites
            return [e.honoured, e.overBudget, e.notQueued]
        }
        #expect(tallies == [[0, 5, 11], [3, 5, 8], [4, 4, 8], [2, 5, 9]], "check the expedites table in docs/simulation.md")
        let units = Dictionary(uniqueKeysWithValues: trace.events.filter { $0.kind == .order }.map { ($0.orderID!, $0.units ?? 1) })
        #expect(calls.filter { units[$0.orderID!]! > 1 }.count == 4)
        // The waits per tier move by less than 0.05 slots.
        let plain = try Scenario(config: config, trace: Trace(events: trace.events.filter { $0.kind != .expedite }))
        for p in ServicePolicy.allCases {
            let with = PolicyReport(try Replay.run(scenario, policy: p)).tiers
            let without = PolicyReport(try Replay.run(plain, policy: p)).tiers
            #expect(zip(with, without).allSatisfy { abs($0.mean - $1.mean) < 0.05 }, "\(p): \(zip(with, without).map { $0.mean - $1.mean })")
        }
    }
}
