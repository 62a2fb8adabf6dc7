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
}
