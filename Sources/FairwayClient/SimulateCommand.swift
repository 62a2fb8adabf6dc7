// `fairwayctl simulate`: replay a trace under several policies, or generate one.

import FairwayCore
import FairwayProtocol
import FairwaySimulation

/// Runs `simulate` in the client's process: no daemon, no socket.
enum SimulateCommand {
    static func run(_ options: SimulateOptions, json: Bool, context: ClientContext) -> ExitCode {
        func fail(_ message: String) -> ExitCode {
            context.writeError("fairwayctl: simulate: \(message)\n")
            return .usage
        }
        let config: FairwayConfig
        do {
            if let path = options.config {
                let bytes: [UInt8]
                switch context.readInput(path) {
                case .success(let b): bytes = b
                case .failure(let e): return fail("\(e)")
                }
                config = try ConfigParser.parse(String(decoding: bytes, as: UTF8.self), file: path)
            } else {
                config = try ConfigParser.parse(ScenarioDefaults.configText, file: ScenarioDefaults.configName)
            }
        } catch {
            return fail("\(error)")
        }
        if let generate = options.generate {
            context.writeOutput(TraceGenerator.trace(generate, config: config).csv())
            return .success
        }
        let tracePath = options.trace == "-" ? nil : options.trace
        let traceName = tracePath ?? "standard input"
        let bytes: [UInt8]
        switch context.readInput(tracePath) {
        case .success(let b): bytes = b
        case .failure(let e): return fail("\(e)")
        }
        var results: [ReplayResult] = []
        do {
            let scenario = try Scenario(config: config, trace: try Trace(csv: bytes), capacities: options.capacities)
            for policy in options.policies { results.append(try Replay.run(scenario, policy: policy)) }
        } catch {
            return fail(error.line > 0 ? "\(traceName): \(error)" : "\(error)")
        }
        let reports = results.map(PolicyReport.init)
        if json {
            context.writeOutput(SimulationJSON.render(reports) + "\n")
        } else {
            context.writeOutput(SimulationRenderer.render(reports, results: results))
        }
        if let directory = options.svgDirectory {
            var written: [String] = []
            for file in ScenarioCharts.files(results) {
                if let problem = context.writeFile(file.svg, file.name, directory) { return fail(problem) }
                written.append(directory.hasSuffix("/") ? directory + file.name : directory + "/" + file.name)
            }
            let note = "Charts: " + written.joined(separator: ", ") + "\n"
            if json { context.writeError(note) } else { context.writeOutput("\n" + note) }
        }
        return .success
    }
}
