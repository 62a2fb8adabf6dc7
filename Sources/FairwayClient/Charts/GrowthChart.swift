// The bench's growth chart: ingest rate as the queue grows, one line per workload.

/// One workload's ingest rate per step as the queue grew.
public struct GrowthSeries: Sendable {
    /// The workload's name (the legend).
    public var name: String
    /// After how many orders each step ended, and its rate in orders/s.
    public var points: [(orders: Int, rate: Double)]

    public init(name: String, points: [(orders: Int, rate: Double)]) {
        self.name = name
        self.points = points
    }
}

/// The SVG of `fairway-bench --only growth`: the ingest rate of each step
/// (orders/s, acknowledged) over the orders stored, one line per workload.
public enum GrowthChart {
    /// Colours that read apart in print and for the common colour blindnesses.
    static let colours = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]

    /// The chart's SVG text.
    public static func svg(_ series: [GrowthSeries], subtitle: String) -> String {
        let chart = LineChart(
            title: "Ingest rate as the queue grows",
            subtitle: subtitle, xLabel: "orders stored at the end of each step", yLabel: "orders/s acknowledged",
            series: series.enumerated().map { i, s in
                (ChartSeriesStyle(name: s.name, colour: colours[i % colours.count]),
                 s.points.map { (time: Int64($0.orders), value: $0.rate) })
            },
            yTickText: { $0 >= 1000 ? SVGText.number($0 / 1000) + "k" : SVGText.number($0) },
            xTicks: { orderTicks(from: $0, to: $1) })
        return chart.svg()
    }

    /// About six round ticks from `x0` to `x1`, labelled `250k`, `1M`, ...
    static func orderTicks(from x0: Int64, to x1: Int64) -> [(value: Double, label: String)] {
        let (step, _) = ChartFrame.niceScale(Double(x1), count: 5)
        var ticks: [(Double, String)] = []
        var v = (Double(x0) / step).rounded(.up) * step
        while v <= Double(x1) + step / 1000 {
            let label = v >= 1_000_000 ? SVGText.number(v / 1_000_000) + "M" : v >= 1000 ? SVGText.number(v / 1000) + "k" : SVGText.number(v)
            ticks.append((v, label))
            v += step
        }
        return ticks
    }
}
