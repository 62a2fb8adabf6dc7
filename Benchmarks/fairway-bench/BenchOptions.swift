// The benchmark's command line.

import FairwaySimulation
import Foundation
import Glibc

/// What to run and how big: `fairway-bench [--quick] [--orders N] ...`.
struct BenchOptions: Sendable {
    /// Scenarios that can be chosen with `--only`.
    enum Scenario: String, CaseIterable, Sendable {
        case ingest, roundtrip, scale, beanstalk, ops, simulate, growth, busy
    }

    var fairwayd = ""
    var beanstalkd = "/usr/bin/beanstalkd"
    var quick = false
    /// Orders per batched-ingest run.
    var orders = 200_000
    /// Waiting orders for the lookup / memory / restart / planning scenario.
    var waiting = 1_000_000
    /// Orders in the clump that streams in while lookups are measured.
    var clump = 100_000
    /// Repeated runs per ingest figure.
    var runs = 5
    /// Repeated runs for the 1M-waiting figures (lookups, restart, planning).
    var scaleRuns = 3
    /// Single-order submits per round-trip run.
    var singleSubmits = 2_000
    /// Lookups per lookup run.
    var lookups = 2_000
    var batchSize = 1_000
    /// Batches in flight per connection.
    var depth = 4
    var scenarios = Set(Scenario.allCases)
    /// Connection counts of the batched-ingest figures.
    var connections = [1, 4]
    /// Id styles of the batched-ingest figures.
    var idStyles: [OrderGenerator.IDStyle] = [.sequential, .random]
    /// Where fairwayd's stderr log goes: a file in its temporary directory, or /dev/null.
    var logToFile = true
    var tmpBase = "/tmp"
    var keep = false
    var seed: UInt64 = 20_261_123
    /// Most seconds to wait for other load to pass before each timed run.
    var quietPatience = 30.0
    /// Workloads of the growth scenario (`--workload`).
    var growthWorkloads = LoadWorkload.allCases
    /// Workload of the ingest and scale scenarios (`--workload`, when it names one).
    var workload = LoadWorkload.randomSize
    /// Orders loaded into each growth daemon, and how many per step.
    var growthTotal = 1_000_000
    var growthStep = 100_000
    /// Where the growth chart goes (empty: nowhere).
    var growthChart = "docs/performance-growth.svg"

    static let usage = """
        usage: fairway-bench [--quick] [--orders N] [--waiting N] [--clump N] [--runs N] [--scale-runs N]
                             [--only ingest,roundtrip,scale,beanstalk,ops,simulate,growth,busy] [--fairwayd PATH] [--beanstalkd PATH]
                             [--workload random-size,same-size,big-customers,not-before,depots] [--growth N] [--growth-step N]
                             [--growth-chart PATH]
                             [--connections 1,4] [--ids sequential,random] [--batch N] [--depth N]
                             [--daemon-log file|null] [--tmp DIR] [--keep] [--seed N] [--quiet-wait S]
          --quick        fewer and smaller runs (20,000 orders, 100,000 waiting, 2 runs) to check that it works
                         (simulate: 100,000 orders over 9 days instead of 1,000,000 over 90)
          --orders N     orders per batched-ingest run (default 200,000)
          --waiting N    waiting orders for lookup, memory, restart and planning figures (default 1,000,000)
          --clump N      orders streamed in while lookups are measured (default 100,000)
          --runs N       runs per ingest and round-trip figure (default 5)
          --scale-runs N runs per figure at N waiting (default 3)
          --workload     who orders what (see docs/performance.md): the growth scenario runs each one listed
                         (default all); ingest and scale use the first (default random-size)
          --growth N     orders loaded into each growth daemon (default 1,000,000; --quick: 200,000)
          --growth-step N  orders per growth step (default 100,000; --quick: 20,000)
          --growth-chart PATH  the growth chart's SVG (default docs/performance-growth.svg; '' for none)
          --connections  connection counts of the batched-ingest figures (default 1,4)
          --ids          id styles of the batched-ingest figures (default sequential,random)
          --fairwayd     the daemon to measure (default: fairwayd next to this executable)
          --daemon-log   where fairwayd's log (log = stderr) goes (default: a file in its temporary directory)
          --keep         keep the temporary directories
          --quiet-wait S before each timed run, wait up to S seconds (default 30) for other processes
                         to use less than 0.3 cores; 0: do not wait
        """

    /// Parses the arguments (without the program name).
    static func parse(_ args: [String]) throws(BenchError) -> BenchOptions {
        var o = BenchOptions()
        var explicit: Set<String> = []
        var i = 0
        func value(_ flag: String) throws(BenchError) -> String {
            i += 1
            guard i < args.count else { throw BenchError("\(flag) needs a value\n\(usage)") }
            return args[i]
        }
        func number(_ flag: String) throws(BenchError) -> Int {
            let text = try value(flag).replacingOccurrences(of: "_", with: "").replacingOccurrences(of: ",", with: "")
            guard let n = Int(text), n > 0 else { throw BenchError("\(flag): '\(text)' is not a positive integer") }
            explicit.insert(flag)
            return n
        }
        while i < args.count {
            let flag = args[i]
            switch flag {
            case "--quick": o.quick = true
            case "--orders": o.orders = try number(flag)
            case "--waiting": o.waiting = try number(flag)
            case "--clump": o.clump = try number(flag)
            case "--runs": o.runs = try number(flag)
            case "--scale-runs": o.scaleRuns = try number(flag)
            case "--batch": o.batchSize = try number(flag)
            case "--depth": o.depth = try number(flag)
            case "--seed": o.seed = UInt64(try number(flag))
            case "--quiet-wait":
                let text = try value(flag)
                guard let v = Double(text), v >= 0 else { throw BenchError("--quiet-wait: '\(text)' is not a number of seconds") }
                o.quietPatience = v
            case "--growth": o.growthTotal = try number(flag)
            case "--growth-step": o.growthStep = try number(flag)
            case "--growth-chart":
                o.growthChart = try value(flag)
                explicit.insert(flag)
            case "--workload":
                var chosen: [LoadWorkload] = []
                for name in try value(flag).split(separator: ",") {
                    guard let w = LoadWorkload(rawValue: String(name)) else {
                        throw BenchError("--workload: unknown workload '\(name)' (known: \(LoadWorkload.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    chosen.append(w)
                }
                guard let first = chosen.first else { throw BenchError("--workload: a list like same-size,random-size") }
                o.growthWorkloads = chosen
                o.workload = first
            case "--fairwayd": o.fairwayd = try value(flag)
            case "--beanstalkd": o.beanstalkd = try value(flag)
            case "--tmp": o.tmpBase = try value(flag)
            case "--keep": o.keep = true
            case "--daemon-log":
                let v = try value(flag)
                guard v == "file" || v == "null" else { throw BenchError("--daemon-log: 'file' or 'null', not '\(v)'") }
                o.logToFile = v == "file"
            case "--only":
                var chosen = Set<Scenario>()
                for name in try value(flag).split(separator: ",") {
                    guard let s = Scenario(rawValue: String(name)) else {
                        throw BenchError("--only: unknown scenario '\(name)' (known: \(Scenario.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    chosen.insert(s)
                }
                o.scenarios = chosen
            case "--connections":
                let list = try value(flag).split(separator: ",").map { Int($0) }
                guard !list.isEmpty, list.allSatisfy({ ($0 ?? 0) > 0 }) else { throw BenchError("--connections: a list like 1,4") }
                o.connections = list.map { $0! }
            case "--ids":
                let list = try value(flag).split(separator: ",").map { OrderGenerator.IDStyle(rawValue: String($0)) }
                guard !list.isEmpty, list.allSatisfy({ $0 != nil }) else { throw BenchError("--ids: sequential, random or both") }
                o.idStyles = list.map { $0! }
            case "--help", "-h": throw BenchError(usage, exitCode: 0)
            default: throw BenchError("unknown argument '\(flag)'\n\(usage)")
            }
            i += 1
        }
        if o.quick {
            if !explicit.contains("--orders") { o.orders = 20_000 }
            if !explicit.contains("--waiting") { o.waiting = 100_000 }
            if !explicit.contains("--clump") { o.clump = 20_000 }
            if !explicit.contains("--runs") { o.runs = 2 }
            if !explicit.contains("--scale-runs") { o.scaleRuns = 2 }
            if !explicit.contains("--growth") { o.growthTotal = 200_000 }
            if !explicit.contains("--growth-step") { o.growthStep = 20_000 }
            if !explicit.contains("--growth-chart") { o.growthChart = "" }  // a quick run does not replace the chart in docs/
            o.singleSubmits = 500
            o.lookups = 500
        }
        guard o.growthStep <= o.growthTotal else { throw BenchError("--growth-step: more than --growth (\(o.growthTotal))") }
        if o.fairwayd.isEmpty { o.fairwayd = Self.besideSelf("fairwayd") }
        guard access(o.fairwayd, X_OK) == 0 || o.scenarios == [.simulate] else {
            throw BenchError("no executable fairwayd at \(o.fairwayd): build it (swift build -c release) or pass --fairwayd PATH")
        }
        if !o.scenarios.isDisjoint(with: [.beanstalk, .busy]) && access(o.beanstalkd, X_OK) != 0 {
            throw BenchError("no executable beanstalkd at \(o.beanstalkd): install it (apt-get install beanstalkd), "
                + "pass --beanstalkd PATH, or leave it out with --only")
        }
        return o
    }

    /// `name` in the directory of this executable (SwiftPM puts every product in one bin directory).
    static func besideSelf(_ name: String) -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent(name).path
    }
}

/// A failure that stops the benchmark, with what went wrong.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32

    init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }
}

extension BenchError {
    /// Runs `body`, turning any error it throws (a test-kit fixture's) into a `BenchError`.
    static func wrapping<T>(_ body: () throws -> T) throws(BenchError) -> T {
        do {
            return try body()
        } catch let error as BenchError {
            throw error
        } catch {
            throw BenchError("\(error)")
        }
    }
}
