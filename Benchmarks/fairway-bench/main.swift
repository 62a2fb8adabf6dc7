// fairway-bench: starts the real fairwayd (and beanstalkd) and prints measured figures.

import FairwayPOSIX
import Glibc

/// Runs the chosen scenarios and prints the table; returns the exit status.
func benchMain() -> Int32 {
    let options: BenchOptions
    do {
        options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
    } catch {
        if error.exitCode == 0 { print(error.description) } else { progress("fairway-bench: \(error)") }
        return error.exitCode
    }
    let report = Report()
    let account = CPUAccount()
    let started = MonotonicClock.seconds()
    var header = ["fairway-bench\(options.quick ? " --quick" : ""): fairwayd = \(options.fairwayd)"]
    header += Machine.describe(tmpBase: options.tmpBase)
    header.append("fairwayd: durability = full, log = stderr → \(options.logToFile ? "a file in its temporary directory" : "/dev/null")")
    header.append("orders: ~200 bytes of JSON (order_id, customer_id, units 1-3, tier, depot, cleared_at, notes), "
        + "100,000 customers, seeded random")
    for line in header { progress(line) }
    do {
        var fairwaySequential: Double?
        if options.scenarios.contains(.ingest) {
            try IngestBench(options: options, report: report).run()
            fairwaySequential = report.figures.first { $0.name == "1 connection, sequential ids: acknowledged" }?.summary.median
        }
        if options.scenarios.contains(.roundtrip) { try LatencyBench(options: options, report: report).run() }
        if options.scenarios.contains(.beanstalk) {
            let beanstalk = try BeanstalkBench(options: options, report: report).run()
            if let fairway = fairwaySequential {
                report.add(report.figures.last!.section, "ratio Fairway / beanstalkd default (1 connection, sequential ids, medians)",
                           .ratio, [fairway / Stats.median(beanstalk)], target: .atLeast(3))
            }
        }
        if options.scenarios.contains(.busy) {
            progress("with one core kept busy by another process (yes > /dev/null) during each timed run")
            let fairway = try IngestBench(options: options, report: report, busyCore: true).measure(style: .sequential, connections: 1)
            let beanstalk = BeanstalkBench(options: options, report: report, busyCore: true)
            let puts = try beanstalk.measure(extra: [], orders: options.orders, what: "default binlog fsync (-f 50), one core busy")
            report.add(BusyCore.section, "beanstalkd default binlog fsync, same runs", .ordersPerSecond, puts)
            report.add(BusyCore.section, "ratio Fairway / beanstalkd default (medians)", .ratio,
                       [Stats.median(fairway) / Stats.median(puts)], target: .atLeast(2))
        }
        if options.scenarios.contains(.growth) { try GrowthBench(options: options, report: report).run() }
        if options.scenarios.contains(.scale) { try ScaleBench(options: options, report: report).run() }
        if options.scenarios.contains(.ops) { try OpsBench(options: options, report: report).run() }
        if options.scenarios.contains(.simulate) { try SimulateBench(options: options, report: report).run() }
    } catch {
        progress("fairway-bench: \(error)")
        return error.exitCode
    }
    header.append(account.summary(wallSeconds: MonotonicClock.seconds() - started))
    print("\n" + header.joined(separator: "\n") + "\n")
    print(report.render())
    return 0
}

exit(benchMain())
