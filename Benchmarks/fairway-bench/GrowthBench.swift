// Ingest as the queue grows: a fresh daemon loaded step by step, per workload.

import FairwayClient
import FairwaySimulation
import Foundation

/// For each workload: a fresh daemon (one depot, 100 units per 1 h slot,
/// horizon 2, durability full) loaded with `options.growthTotal` orders,
/// `options.growthStep` at a time over one pipelining connection; the rate of
/// each step, the last step's rate over the first's, and the same rows
/// written straight into SQLite by the daemon's store (the storage limit).
/// The rates are drawn in an SVG chart (`--growth-chart`).
struct GrowthBench {
    let options: BenchOptions
    let report: Report

    func run() throws(BenchError) {
        var series: [GrowthSeries] = []
        var table: [String] = []
        for workload in options.growthWorkloads {
            let (rates, cpu, storage) = try grow(workload)
            var points: [(orders: Int, rate: Double)] = []
            for (i, r) in rates.enumerated() { points.append(((i + 1) * options.growthStep, r)) }
            series.append(GrowthSeries(name: workload.rawValue, points: points))
            table.append("\(workload.rawValue): " + zip(rates, cpu).map { "\(grouped(Int($0))) (\(fixed($1, 2)) CPU-s)" }.joined(separator: ", "))
            let section = "growth: \(grouped(options.growthTotal)) orders, \(grouped(options.growthStep)) at a time, "
                + "into a fresh daemon (workload \(workload.rawValue))"
            report.add(section, "first \(grouped(options.growthStep)): acknowledged", .ordersPerSecond, [rates.first!])
            report.add(section, "last \(grouped(options.growthStep)): acknowledged", .ordersPerSecond, [rates.last!])
            report.add(section, "last ÷ first", .ratio, [rates.last! / rates.first!], target: .atLeast(0.8))
            // The daemon's CPU per step does not wait for the disk: on a
            // shared machine it tells the planning's growth apart from fsync's noise.
            report.add(section, "daemon CPU seconds, first \(grouped(options.growthStep))", .seconds, [cpu.first!])
            report.add(section, "daemon CPU seconds, last \(grouped(options.growthStep))", .seconds, [cpu.last!])
            let fairway = Double(options.growthTotal) / rates.reduce(0) { $0 + Double(options.growthStep) / $1 }
            let limit = Double(options.growthTotal) / storage.reduce(0) { $0 + Double(options.growthStep) / $1 }
            report.add(section, "storage limit: the same rows into SQLite by the daemon's store, all steps", .ordersPerSecond, [limit])
            report.add(section, "storage limit: last \(grouped(options.growthStep))", .ordersPerSecond, [storage.last!])
            report.add(section, "Fairway ÷ storage limit (all steps)", .ratio, [fairway / limit], target: .atLeast(0.5))
        }
        report.note("growth, orders/s acknowledged (and the daemon's CPU seconds) per step of \(grouped(options.growthStep)): " + table.joined(separator: "; "))
        guard !options.growthChart.isEmpty, !series.isEmpty else { return }
        let subtitle = "\(grouped(options.growthStep)) orders at a time into a fresh daemon; one depot (several for depots), "
            + "100 units per 1 h slot, horizon 2, durability full"
        do {
            try GrowthChart.svg(series, subtitle: subtitle).write(toFile: options.growthChart, atomically: true, encoding: .utf8)
            report.note("growth chart written to \(options.growthChart)")
        } catch {
            report.note("growth chart not written to \(options.growthChart): \(error)")
        }
    }

    /// Loads one workload step by step; the daemon's rate per step, then
    /// the storage limit's rate per step on the same requests.
    private func grow(_ workload: LoadWorkload) throws(BenchError) -> (fairway: [Double], daemonCPU: [Double], storage: [Double]) {
        let steps = max(1, options.growthTotal / options.growthStep)
        progress("growth, workload \(workload.rawValue): \(steps) steps of \(grouped(options.growthStep)) orders")
        let depots = workload.spreadsOverDepots ? DaemonProcess.depots : [DaemonProcess.depots[0]]
        var generator = OrderGenerator(style: .sequential, depots: depots, workload: workload, seed: options.seed &+ 31)
        let daemon = try DaemonProcess(options: options, label: "growth")
        defer { daemon.remove() }
        try daemon.start()
        var rates: [Double] = []
        var cpu: [Double] = []
        var sent: [[WireRequest]] = []
        for step in 0..<steps {
            let orders = generator.make(options.growthStep)
            let requests = FairwayRequests.submits(orders[...], batchSize: options.batchSize, firstID: step * 100_000 + 1)
            let counts = requests.indices.map { min(options.batchSize, options.growthStep - $0 * options.batchSize) }
            Quiet.wait(patience: options.quietPatience)
            let result = try pipelinedIngest(daemon, [requests], ordersPerRequest: [counts], depth: options.depth)
            rates.append(result.ordersPerSecond)
            cpu.append(result.daemonCores * result.seconds)
            sent.append(requests)
            progress("  \(grouped((step + 1) * options.growthStep)) stored: \(grouped(Int(result.ordersPerSecond))) orders/s "
                + "(daemon CPU \(fixed(result.daemonCores, 2)) cores)")
        }
        try daemon.stop()
        daemon.remove()
        let storage = try StorageLimit(options: options).measure(sent)
        return (rates, cpu, storage)
    }
}
