// The charts of a scenario replay: backlog, waits per tier, slot use.

import FairwayCore
import FairwaySimulation

/// Builds the SVG files `simulate --svg DIR` writes, one series per policy.
enum ScenarioCharts {
    /// Colours that read apart in print and for the common colour blindnesses.
    static func style(_ policy: ServicePolicy) -> ChartSeriesStyle {
        let colour: String
        switch policy {
        case .fair: colour = "#1b9e77"
        case .fifo: colour = "#7570b3"
        case .complaints: colour = "#d95f02"
        case .strictTier: colour = "#e7298a"
        }
        return ChartSeriesStyle(name: policy.rawValue, colour: colour)
    }

    /// The files' names and contents, in the order they are listed.
    static func files(_ results: [ReplayResult]) -> [(name: String, svg: String)] {
        guard let first = results.first else { return [] }
        return [("backlog.svg", backlog(results, first)), ("waits.svg", waits(results, first)), ("slot-use.svg", slotUse(results, first))]
    }

    /// Seconds between two samples: whole slots, at most about 600 samples.
    static func sampleStep(_ first: ReplayResult, end: Int64) -> Int64 {
        let slot = first.config.depots.map(\.slotLength).min() ?? 3600
        let span = max(end - first.start.seconds, slot)
        return slot * max(1, (span / slot + 599) / 600)
    }

    static func backlog(_ results: [ReplayResult], _ first: ReplayResult) -> String {
        let end = ChartSeries.end(of: results)
        let step = sampleStep(first, end: end)
        let chart = LineChart(
            title: "Backlog: units cleared and not yet delivered",
            subtitle: "sampled every \(NumberText.duration(Int(step))); an order leaves the backlog when its delivery slot starts",
            xLabel: "time (UTC, month-day)", yLabel: "units waiting",
            series: results.map { r in
                (style(r.policy), ChartSeries.backlog(r, step: step, end: end).map { (time: $0.time, value: $0.value) })
            })
        return chart.svg()
    }

    static func slotUse(_ results: [ReplayResult], _ first: ReplayResult) -> String {
        let end = ChartSeries.end(of: results)
        let slot = first.config.depots.map(\.slotLength).min() ?? 3600
        let bucket = end - first.start.seconds > 3 * 86_400 ? max(86_400, slot) : sampleStep(first, end: end)
        let chart = LineChart(
            title: "Slot use: units delivered over capacity",
            subtitle: "every depot, per \(NumberText.duration(Int(bucket))) of slots (by slot start)",
            xLabel: "time (UTC, month-day)", yLabel: "share of capacity used",
            series: results.map { r in
                (style(r.policy), ChartSeries.slotUse(r, bucket: bucket, end: end).map { (time: $0.time, value: $0.value) })
            },
            yMax: 1, yTickText: { "\(Int(($0 * 100).rounded()))%" })
        return chart.svg()
    }

    static func waits(_ results: [ReplayResult], _ first: ReplayResult) -> String {
        let byPolicy = results.map(ChartSeries.waitsByTier)
        let tiers = first.config.tiers.map(\.name).filter { tier in byPolicy.contains { $0[tier]?.isEmpty == false } }
        let chart = BoxPlot(
            title: "Wait per tier, in slots",
            subtitle: "from the slot of clearance to the delivery slot; box 25-75%, thick line the median, whiskers 5-95%",
            xLabel: "tier (highest value first)", yLabel: "wait (slots)", groups: tiers,
            series: results.map { style($0.policy) },
            boxes: tiers.map { tier in
                byPolicy.map { waits in waits[tier].flatMap { $0.isEmpty ? nil : ChartSeries.boxStatistics($0) } }
            })
        return chart.svg()
    }
}
