// A time-series chart: one line per series over a shared time axis.

import FairwayCore

/// Lines over time (or another x), one per series, with a legend; each series is a
/// `<g class="series" data-series="NAME">` holding one polyline.
struct LineChart {
    var title: String
    var subtitle: String
    var xLabel: String
    var yLabel: String
    /// Each series' style and its points (time in seconds, value).
    var series: [(style: ChartSeriesStyle, points: [(time: Int64, value: Double)])]
    /// The top of the y axis, when fixed (1 for a share); else from the data.
    var yMax: Double?
    /// How a y tick reads.
    var yTickText: (Double) -> String = { SVGText.number($0) }
    /// The x ticks for the span of x values (by default UTC midnights, for time in seconds).
    var xTicks: (Int64, Int64) -> [(value: Double, label: String)] = { LineChart.dayTicks(from: $0, to: $1) }

    func svg() -> String {
        let times = series.flatMap { $0.points.map(\.time) }
        let t0 = times.min() ?? 0
        let t1 = max(times.max() ?? 1, t0 + 1)
        let (step, top) = yMax.map { ($0 / 5, $0) } ?? ChartFrame.niceScale(series.flatMap { $0.points.map(\.value) }.max() ?? 1)
        let frame = ChartFrame(xMin: Double(t0), xMax: Double(t1), yMax: top)
        return SVGText.document(width: ChartFrame.width, height: ChartFrame.height, title: title) { svg in
            frame.draw(
                &svg, title: title, subtitle: subtitle, xLabel: xLabel, yLabel: yLabel, yStep: step, yTickText: yTickText,
                xTicks: xTicks(t0, t1), series: series.map(\.style))
            for s in series {
                svg.open("g", ["class": "series", "data-series": s.style.name]) { svg in
                    svg.element("title", text: s.style.name)
                    let points = s.points.map { "\(SVGText.number(frame.x(Double($0.time)))),\(SVGText.number(frame.y($0.value)))" }
                    svg.empty("polyline", [
                        "points": points.joined(separator: " "), "fill": "none", "stroke": s.style.colour, "stroke-width": "2",
                        "stroke-linejoin": "round",
                    ])
                }
            }
        }
    }

    /// Ticks at UTC midnights (every day, or every few days for long spans),
    /// labelled `MM-DD`.
    static func dayTicks(from t0: Int64, to t1: Int64) -> [(value: Double, label: String)] {
        let day: Int64 = 86_400
        let days = (t1 - t0) / day + 1
        let every = max(1, Int64((Double(days) / 12).rounded(.up)))
        var ticks: [(Double, String)] = []
        var t = (t0 + day - 1) / day * day
        var k: Int64 = 0
        while t <= t1 {
            if k % every == 0 {
                let date = Timestamp(seconds: t).rfc3339
                ticks.append((Double(t), String(date.dropFirst(5).prefix(5))))
            }
            t += day
            k += 1
        }
        return ticks
    }
}
