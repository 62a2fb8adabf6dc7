// The frame every chart shares: plot area, axes with ticks and labels, a legend.

/// A named colour for one series (a policy), used by every chart alike.
struct ChartSeriesStyle: Sendable, Equatable {
    var name: String
    var colour: String
}

/// The plot area of a chart and the mapping of values into it.
struct ChartFrame {
    static let width = 960
    static let height = 440
    static let left = 80.0
    static let right = 190.0
    static let top = 56.0
    static let bottom = 64.0

    var xMin: Double
    var xMax: Double
    var yMax: Double

    var plotWidth: Double { Double(Self.width) - Self.left - Self.right }
    var plotHeight: Double { Double(Self.height) - Self.top - Self.bottom }

    func x(_ v: Double) -> Double { Self.left + (xMax > xMin ? (v - xMin) / (xMax - xMin) : 0) * plotWidth }
    func y(_ v: Double) -> Double { Self.top + plotHeight - (yMax > 0 ? v / yMax : 0) * plotHeight }

    /// A round step for about `count` ticks up to `maximum`, and the axis top.
    static func niceScale(_ maximum: Double, count: Int = 5) -> (step: Double, top: Double) {
        guard maximum > 0 else { return (1, 1) }
        let raw = maximum / Double(count)
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        return (step, (maximum / step).rounded(.up) * step)
    }

    /// Title, axes, horizontal grid lines with labels, x ticks with labels,
    /// the axis titles, and a legend of `series` on the right.
    func draw(
        _ svg: inout SVGText, title: String, subtitle: String, xLabel: String, yLabel: String,
        yStep: Double, yTickText: (Double) -> String, xTicks: [(value: Double, label: String)], series: [ChartSeriesStyle]
    ) {
        svg.element("text", ["x": SVGText.number(Self.left), "y": "24", "font-size": "17", "font-weight": "bold"], text: title)
        svg.element("text", ["x": SVGText.number(Self.left), "y": "42", "fill": "#555555"], text: subtitle)
        let bottom = SVGText.number(Self.top + plotHeight)
        svg.open("g", ["class": "y-axis"]) { svg in
            var v = 0.0
            while v <= yMax + yStep / 1000 {
                let y = SVGText.number(self.y(v))
                svg.empty("line", ["x1": SVGText.number(Self.left), "x2": SVGText.number(Self.left + plotWidth), "y1": y, "y2": y, "stroke": "#e3e3e3"])
                svg.element("text", ["x": SVGText.number(Self.left - 8), "y": SVGText.number(self.y(v) + 4), "text-anchor": "end"], text: yTickText(v))
                v += yStep
            }
            svg.empty("line", ["x1": SVGText.number(Self.left), "x2": SVGText.number(Self.left), "y1": SVGText.number(Self.top), "y2": bottom, "stroke": "#333333"])
            let cy = Self.top + plotHeight / 2
            svg.element("text", [
                "class": "axis-label", "x": "18", "y": SVGText.number(cy), "text-anchor": "middle",
                "transform": "rotate(-90 18 \(SVGText.number(cy)))",
            ], text: yLabel)
        }
        svg.open("g", ["class": "x-axis"]) { svg in
            svg.empty("line", ["x1": SVGText.number(Self.left), "x2": SVGText.number(Self.left + plotWidth), "y1": bottom, "y2": bottom, "stroke": "#333333"])
            for tick in xTicks {
                let x = SVGText.number(self.x(tick.value))
                svg.empty("line", ["x1": x, "x2": x, "y1": bottom, "y2": SVGText.number(Self.top + plotHeight + 5), "stroke": "#333333"])
                svg.element("text", ["x": x, "y": SVGText.number(Self.top + plotHeight + 20), "text-anchor": "middle"], text: tick.label)
            }
            svg.element("text", [
                "class": "axis-label", "x": SVGText.number(Self.left + plotWidth / 2), "y": SVGText.number(Double(Self.height) - 14),
                "text-anchor": "middle",
            ], text: xLabel)
        }
        svg.open("g", ["class": "legend"]) { svg in
            let x = Self.left + plotWidth + 24
            for (i, s) in series.enumerated() {
                let y = Self.top + 10 + Double(i) * 24
                svg.empty("rect", ["x": SVGText.number(x), "y": SVGText.number(y - 9), "width": "18", "height": "12", "fill": s.colour])
                svg.element("text", ["x": SVGText.number(x + 26), "y": SVGText.number(y + 2)], text: s.name)
            }
        }
    }
}
