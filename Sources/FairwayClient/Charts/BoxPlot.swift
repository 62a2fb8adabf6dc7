// Box plots of waits: one group per tier, one box per series (policy) in it.

/// Boxes (5th-95th percentile whiskers, quartile box, median line) in
/// groups; each box is a `<g class="box" data-series="NAME" data-group="GROUP">`.
struct BoxPlot {
    var title: String
    var subtitle: String
    var xLabel: String
    var yLabel: String
    var groups: [String]
    var series: [ChartSeriesStyle]
    /// By group, then series: the five numbers (p5, p25, p50, p75, p95), or
    /// nil when the series has no values in that group.
    var boxes: [[[Int]?]]

    func svg() -> String {
        let highest = boxes.flatMap { $0.compactMap { $0?.last } }.max() ?? 1
        let (step, top) = ChartFrame.niceScale(Double(max(highest, 1)))
        let frame = ChartFrame(xMin: 0, xMax: Double(max(groups.count, 1)), yMax: top)
        let groupTicks = groups.enumerated().map { (value: Double($0.offset) + 0.5, label: $0.element) }
        return SVGText.document(width: ChartFrame.width, height: ChartFrame.height, title: title) { svg in
            frame.draw(
                &svg, title: title, subtitle: subtitle, xLabel: xLabel, yLabel: yLabel, yStep: step,
                yTickText: { SVGText.number($0) }, xTicks: groupTicks, series: series)
            let slot = frame.plotWidth / Double(max(groups.count, 1))
            let boxWidth = min(40, slot * 0.8 / Double(max(series.count, 1)))
            for (g, group) in groups.enumerated() {
                for (k, style) in series.enumerated() {
                    guard let five = boxes[g][k] else { continue }
                    let centre = frame.x(Double(g)) + slot / 2 + (Double(k) - Double(series.count - 1) / 2) * boxWidth * 1.15
                    let x = SVGText.number(centre)
                    let ys = five.map { frame.y(Double($0)) }
                    svg.open("g", ["class": "box", "data-series": style.name, "data-group": group]) { svg in
                        svg.element("title", text: "\(style.name), \(group): 5% \(five[0]), 25% \(five[1]), median \(five[2]), 75% \(five[3]), 95% \(five[4]) slots")
                        svg.empty("line", ["x1": x, "x2": x, "y1": SVGText.number(ys[0]), "y2": SVGText.number(ys[4]), "stroke": style.colour, "stroke-width": "1.5"])
                        svg.empty("rect", [
                            "x": SVGText.number(centre - boxWidth / 2), "y": SVGText.number(ys[3]), "width": SVGText.number(boxWidth),
                            "height": SVGText.number(max(ys[1] - ys[3], 1.5)), "fill": style.colour, "fill-opacity": "0.35",
                            "stroke": style.colour, "stroke-width": "1.5",
                        ])
                        svg.empty("line", [
                            "x1": SVGText.number(centre - boxWidth / 2), "x2": SVGText.number(centre + boxWidth / 2),
                            "y1": SVGText.number(ys[2]), "y2": SVGText.number(ys[2]), "stroke": style.colour, "stroke-width": "3",
                        ])
                    }
                }
            }
        }
    }
}
