import Foundation
import MobileViT

/// Two objectives of a study's complete trials against each other, with their Pareto front: any
/// pair of ``FrontObjective``s (accuracy against parameters, latency against MACs, ...), each in
/// its own direction. Every trial is a grey dot, hollow when it breaks the study's budget; the
/// front is joined as a staircase whose corners lie in the region the front dominates.
public struct ObjectiveFrontPlot: Sendable {
    /// One complete trial's two values.
    public struct Point: Sendable, Equatable {
        public var number: Int
        public var x: Double
        public var y: Double
        /// Breaks the study's budget (MACs, parameters or memory): drawn hollow.
        public var overBudget: Bool

        public init(number: Int, x: Double, y: Double, overBudget: Bool) {
            self.number = number
            self.x = x
            self.y = y
            self.overBudget = overBudget
        }
    }

    public var title: String
    public var x: FrontObjective
    public var y: FrontObjective
    /// Every complete trial with both values.
    public var points: [Point]
    /// The trials on the front of (x, y) in their directions, in increasing x.
    public var front: [Point]
    /// The study's limit on the x objective (a latency budget in ms), drawn as a dashed vertical
    /// line with the values beyond it shaded, as the MACs budget is in ``AccuracyMACsPlot``; the
    /// x axis reaches it.
    public var xBudget: Double?
    /// The accuracy an accuracy axis holds, for its title.
    public var accuracyKind = PlottedAccuracy.float

    public init(title: String, x: FrontObjective, y: FrontObjective, points: [Point], front: [Point],
                xBudget: Double? = nil) {
        self.title = title
        self.x = x
        self.y = y
        self.points = points
        self.front = front.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        self.xBudget = xBudget
    }

    /// The SVG document.
    public func render() -> String {
        let left = 84.0, top = 84.0, plotWidth = 640.0, plotHeight = 420.0
        var svg = SVGDocument(width: left + plotWidth + 40, height: top + plotHeight + 70)
        let xAxis = Self.axis(x, values: points.map(\.x) + (xBudget.map { [$0] } ?? []), start: left, end: left + plotWidth)
        let yAxis = Self.axis(y, values: points.map(\.y), start: top + plotHeight, end: top)
        let xTicks = Self.ticks(x, axis: xAxis, target: 8), yTicks = Self.ticks(y, axis: yAxis, target: 6)
        svg.text(title, x: left, y: 30, size: 16, weight: "bold", extra: [("class", "title")])
        var legend = [LegendItem("trials (\(points.count) complete)", marker: (.circle, "#9e9e9e", "#222222")),
                      LegendItem("Pareto front (\(front.count)): \(x.rawValue) \(x.direction.rawValue), \(y.rawValue) \(y.direction.rawValue)",
                                 line: ("#2166ac", 1.8, nil), marker: (.circle, "#2166ac", "#222222"))]
        if points.contains(where: \.overBudget) {
            legend.append(LegendItem("over budget (hollow)", marker: (.circle, "#ffffff", "#555555")))
        }
        svg.legendRow(legend, x: left, y: 54, maxX: svg.width - 10)
        svg.drawAxes(x: xAxis, y: yAxis, xLabel: x.axisTitle(unit: xTicks.unit, accuracy: accuracyKind),
                     yLabel: y.axisTitle(unit: yTicks.unit, accuracy: accuracyKind),
                     xTicks: xTicks.ticks, yTicks: yTicks.ticks)
        if let xBudget { drawBudget(&svg, xBudget, axis: xAxis, top: top, height: plotHeight) }
        let pixel = { (point: Point) in (x: xAxis.pixel(point.x), y: yAxis.pixel(point.y)) }
        svg.polyline(staircase(front.map(pixel)), stroke: "#2166ac", width: 1.8, extra: [("class", "front-line")])
        let onFront = Set(front.map(\.number))
        for point in points.sorted(by: { (onFront.contains($0.number) ? 1 : 0, $0.number) < (onFront.contains($1.number) ? 1 : 0, $1.number) }) {
            let (px, py) = pixel(point)
            let isFront = onFront.contains(point.number)
            let color = isFront ? "#2166ac" : "#9e9e9e"
            svg.marker(.circle, x: px, y: py, size: isFront ? 4.5 : 3.5, fill: point.overBudget ? "#ffffff" : color,
                       stroke: point.overBudget ? color : "#222222", strokeWidth: point.overBudget ? 1.8 : 1.2,
                       extra: [("class", (isFront ? "front" : "trial-mark") + (point.overBudget ? " over-budget" : "")
                                    + " trial-\(point.number)")])
        }
        return svg.render()
    }

    /// The budget line and, on the side of a minimised objective beyond it, a light shade: where
    /// every trial breaks the budget.
    private func drawBudget(_ svg: inout SVGDocument, _ budget: Double, axis: PlotAxis, top: Double, height: Double) {
        let px = axis.pixel(budget)
        if x.direction == .min, px < axis.end {
            svg.rect(x: px, y: top, width: axis.end - px, height: height, fill: "#b2182b",
                     extra: [("fill-opacity", "0.06"), ("class", "over-budget-region")])
        }
        svg.line(x1: px, y1: top, x2: px, y2: top + height, stroke: "#b2182b", width: 1.6,
                 extra: [("stroke-dasharray", "6 4"), ("class", "budget-line")])
        svg.text("budget " + x.valueText(budget), x: px + 5, y: top + 14, size: 12, fill: "#b2182b",
                 extra: [("class", "budget-label")])
    }

    /// The front's points joined by steps: from one point to the next (in increasing x) the corner
    /// is the one the front dominates, so the line bounds what the front reaches. With x minimised
    /// the corner keeps the first point's y (across, then up or down); with x maximised, its x.
    func staircase(_ pixels: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        var path: [(x: Double, y: Double)] = []
        for (k, point) in pixels.enumerated() {
            if k > 0 {
                let previous = pixels[k - 1]
                path.append(x.direction == .min ? (point.x, previous.y) : (previous.x, point.y))
            }
            path.append(point)
        }
        return path
    }

    /// An axis over `values` with a margin: 5 % of the span each side on a linear axis (accuracy
    /// kept within 0...100, epochs and latency above 0), a factor of 1.25 on a log axis.
    static func axis(_ objective: FrontObjective, values: [Double], start: Double, end: Double) -> PlotAxis {
        let low = values.min() ?? 0, high = values.max() ?? 1
        switch objective.scale {
        case .log10:
            return PlotAxis(scale: .log10, lower: low / 1.25, upper: high * 1.25, start: start, end: end)
        case .linear:
            let margin = max((high - low) * 0.05, objective == .accuracy ? 0.5 : abs(high) * 0.05 + 0.5)
            var lower = low - margin, upper = high + margin
            lower = max(lower, 0)
            if objective == .accuracy { upper = min(upper, 100) }
            return PlotAxis(scale: .linear, lower: lower, upper: upper, start: start, end: end)
        }
    }

    /// Ticks of an axis; on a log axis all in the unit of the largest (k, M, G), named in its title.
    static func ticks(_ objective: FrontObjective, axis: PlotAxis, target: Int) -> (ticks: [PlotAxis.Tick], unit: String) {
        switch objective.scale {
        case .log10: AccuracyMACsPlot.macsTicks(axis)
        case .linear: (axis.ticks(target: target), "")
        }
    }
}
