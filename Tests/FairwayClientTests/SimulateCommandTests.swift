import FairwayCore
import FairwaySimulation
import Testing

@testable import FairwayClient

/// `fairwayctl simulate`: options, the report, the JSON, the charts.
@Suite struct SimulateCommandTests {
    static let config = ScenarioDefaults.configText

    func generated(seed: Int = 9) -> String {
        let run = runCtl(["simulate", "--generate", "--days", "2", "--customers", "80", "--seed", "\(seed)"])
        #expect(run.exit == .success, "\(run.err)")
        return run.out
    }

    @Test func generateIsSeededAndUsesTheGivenConfigsDepots() {
        let a = generated()
        #expect(a == generated())
        #expect(a != generated(seed: 10))
        #expect(a.hasPrefix(Trace.columns.joined(separator: ",") + "\n"))
        let conf = Self.config.replacingOccurrences(of: "[depot.south]", with: "[depot.east]")
        let east = runCtl(["simulate", "--generate", "--config", "c.conf", "--days", "1"], files: ["c.conf": conf])
        #expect(east.out.contains(",east,"))
        #expect(!east.out.contains(",south,"))
    }

    @Test func theJSONReportIsTheContractsShapeAndTheSameBytesEachTime() throws {
        let files = ["s.conf": Self.config, "t.csv": generated()]
        let args = ["--json", "simulate", "--config", "s.conf", "--trace", "t.csv"]
        let a = runCtl(args, files: files)
        #expect(a.exit == .success, "\(a.err)")
        #expect(a.out == runCtl(args, files: files).out)
        let policies = try #require(object(a.out)["policies"]?.arrayValue)
        #expect(policies.compactMap { $0.objectValue?["policy"]?.stringValue } == ["fair", "fifo", "complaints", "strict-tier"])
        for p in policies {
            let o = try #require(p.objectValue)
            #expect(Array(o.keys.prefix(10)) == [
                "policy", "placed", "vw_mean_wait", "tiers", "max_wait", "vocal_advantage", "deadline_missed",
                "promises_moved", "utilisation", "orders",
            ])
            let tiers = try #require(o["tiers"]?.objectValue)
            #expect(tiers.keys == ["platinum", "gold", "standard", "basic"])
            #expect(tiers["gold"]?.objectValue?.keys == ["mean", "p95", "max"])
        }
    }

    @Test func expeditesAreReplayedAndCountedPerPolicyInTheSameBytesEachTime() throws {
        let generate = ["simulate", "--generate", "--days", "2", "--customers", "80", "--seed", "4", "--expedite-share", "0.1"]
        let trace = runCtl(generate)
        #expect(trace.exit == .success, "\(trace.err)")
        #expect(trace.out == runCtl(generate).out)
        let asked = trace.out.split(separator: "\n").filter { $0.contains(",expedite,") }.count
        #expect(asked > 10)
        // The same trace as without expedites, plus its expedite lines.
        let without = runCtl(Array(generate.dropLast(2))).out
        #expect(trace.out.split(separator: "\n").filter { !$0.contains(",expedite,") } == without.split(separator: "\n"))
        let conf = Self.config.replacingOccurrences(of: "\n[scheduling]\n", with: "\n[scheduling]\nexpedite-budget = 30\n")
        let files = ["s.conf": conf, "t.csv": trace.out]
        let args = ["--json", "simulate", "--config", "s.conf", "--trace", "t.csv"]
        let a = runCtl(args, files: files)
        #expect(a.exit == .success, "\(a.err)")
        #expect(a.out == runCtl(args, files: files).out)
        for p in try #require(object(a.out)["policies"]?.arrayValue) {
            let e = try #require(p.objectValue?["expedites"]?.objectValue)
            #expect(e.keys == ["asked", "honoured", "over_budget", "not_queued"])
            let n = ["honoured", "over_budget", "not_queued"].map { e[$0]?.intValue ?? -1 }
            #expect(e["asked"]?.intValue == asked && n.reduce(0, +) == asked && n[0] > 0, "\(e)")
        }
        let table = runCtl(["simulate", "--config", "s.conf", "--trace", "t.csv"], files: files)
        #expect(table.out.contains("Expedites, of \(asked) in the trace"))
    }

    @Test func theTableNamesEachPolicyAndTier() {
        let run = runCtl(
            ["simulate", "--config", "s.conf", "--trace", "-", "--policy", "strict-tier,fair", "--capacity", "north=12"],
            stdin: generated(), files: ["s.conf": Self.config])
        #expect(run.exit == .success, "\(run.err)")
        let lines = run.out.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("strict-tier ") })
        #expect(lines.contains { $0.hasPrefix("fair ") })
        #expect(!lines.contains { $0.hasPrefix("fifo ") })
        #expect(lines.contains { $0.hasPrefix("basic ") })
    }

    @Test func badOptionsAndBadTracesAreUsageErrors() {
        let files = ["s.conf": Self.config, "bad.csv": "at,event,order_id,customer_id\n2026-11-23T10:00:00Z,order,SO-1,\n"]
        func err(_ args: [String]) -> String {
            let run = runCtl(["simulate"] + args, files: files)
            #expect(run.exit == .usage)
            return run.err
        }
        #expect(err(["--trace", "bad.csv"]).contains("--config CONF is needed"))
        #expect(err(["--config", "s.conf"]).contains("--trace FILE is needed"))
        #expect(err(["--config", "s.conf", "--trace", "bad.csv"]).contains("simulate: bad.csv: line 2, column customer_id: a order event needs it"))
        #expect(err(["--config", "s.conf", "--trace", "bad.csv", "--policy", "loudest"]).contains("unknown policy 'loudest'"))
        #expect(err(["--config", "s.conf", "--trace", "bad.csv", "--capacity", "north"]).contains("--capacity must be DEPOT=N"))
        #expect(err(["--generate", "--trace", "bad.csv"]).contains("--trace is for a replay"))
        #expect(err(["--config", "s.conf", "--trace", "bad.csv", "--seed", "3"]).contains("--seed is an option of --generate"))
        #expect(err(["--config", "missing.conf", "--trace", "bad.csv"]).contains("cannot read missing.conf"))
    }

    @Test func eachChartIsWellFormedSVGWithTheSeriesItClaims() throws {
        let config = try ConfigParser.parse(Self.config, file: "scenario")
        let trace = try Trace(csv: Array(generated().utf8))
        let scenario = try Scenario(config: config, trace: trace)
        let results = try ServicePolicy.allCases.map { try Replay.run(scenario, policy: $0) }
        let files = ScenarioCharts.files(results)
        #expect(files.map(\.name) == ["backlog.svg", "waits.svg", "slot-use.svg"])
        let policies = ServicePolicy.allCases.map(\.rawValue)
        for file in files {
            let svg = try MiniXML.parse(file.svg)
            #expect(svg.name == "svg")
            #expect(svg.attributes["xmlns"] == "http://www.w3.org/2000/svg")
            let all = svg.all
            // A title, labelled axes, a legend naming every policy.
            #expect(all.contains { $0.name == "title" && !$0.text.isEmpty })
            #expect(all.filter { $0.attributes["class"] == "axis-label" }.count == 2)
            let legend = try #require(all.first { $0.attributes["class"] == "legend" })
            #expect(legend.children.filter { $0.name == "text" }.map(\.text) == policies)
            if file.name == "waits.svg" {
                let boxes = all.filter { $0.attributes["class"] == "box" }
                #expect(boxes.count == 4 * 4)
                #expect(Set(boxes.compactMap { $0.attributes["data-series"] }) == Set(policies))
                #expect(Set(boxes.compactMap { $0.attributes["data-group"] }) == ["platinum", "gold", "standard", "basic"])
                // The platinum box of fair is drawn at fair's numbers.
                let fairWaits = ChartSeries.waitsByTier(results[0])["platinum"]!
                let five = ChartSeries.boxStatistics(fairWaits)
                let title = boxes.first { $0.attributes["data-series"] == "fair" && $0.attributes["data-group"] == "platinum" }!.children[0].text
                #expect(title.contains("median \(five[2])"))
            } else {
                let series = all.filter { $0.attributes["class"] == "series" }
                #expect(series.compactMap { $0.attributes["data-series"] } == policies)
                let end = ChartSeries.end(of: results)
                for (s, r) in zip(series, results) {
                    let points = s.children.first { $0.name == "polyline" }!.attributes["points"]!.split(separator: " ")
                    let expected = file.name == "backlog.svg"
                        ? ChartSeries.backlog(r, step: ScenarioCharts.sampleStep(results[0], end: end), end: end).count
                        : ChartSeries.slotUse(r, bucket: ScenarioCharts.sampleStep(results[0], end: end), end: end).count
                    #expect(points.count == expected)
                    #expect(points.allSatisfy { $0.split(separator: ",").count == 2 && $0.split(separator: ",").allSatisfy { Double($0) != nil } })
                }
            }
        }
        #expect(throws: XMLError.self) { try MiniXML.parse("<svg><g></svg>") }
        #expect(throws: XMLError.self) { try MiniXML.parse("<svg a=\"1\" a=\"2\"/>") }
        #expect(throws: XMLError.self) { try MiniXML.parse("<svg>fish & chips</svg>") }
    }
}
