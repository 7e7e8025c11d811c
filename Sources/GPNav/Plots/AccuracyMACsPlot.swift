import Foundation
import MobileViT

/// Accuracy (%) against MACs on a log10 axis, for any number of point series: the Pareto plot of
/// a study, or families of models compared at equal MACs.
///
/// With ``macsRange`` the axes follow that span (a study's trials and budget) and points of other
/// series outside it are context, not scale: they are left out and named at the edge they lie
/// beyond. Tick labels share one unit (k, M or G MACs), named in the axis title.
public struct AccuracyMACsPlot: Sendable {
    /// One model: its MACs, top-1 accuracy (%) and an optional label drawn beside it.
    public struct Point: Sendable, Equatable {
        public var macs: Int
        public var accuracy: Double
        public var label: String?
        /// Drawn hollow, whatever its series' fill, with class `over-budget`: a trial that breaks
        /// the study's budget (MACs, parameters or memory).
        public var overBudget: Bool

        public init(macs: Int, accuracy: Double, label: String? = nil, overBudget: Bool = false) {
            self.macs = macs
            self.accuracy = accuracy
            self.label = label
            self.overBudget = overBudget
        }
    }

    /// How a series' points are joined.
    public enum Connection: Sendable {
        case none
        /// Ordered by MACs; from each point right to the next one's MACs, then up or down to it:
        /// the best accuracy reachable within a MACs limit, for a Pareto front.
        case step
        /// Ordered by MACs, straight lines.
        case straight
    }

    /// A named set of points drawn alike.
    public struct Series: Sendable {
        public var name: String
        public var points: [Point]
        public var shape: MarkerShape
        public var color: String
        public var filled: Bool
        public var size: Double
        public var connection: Connection
        /// The `class` of its marks (and `-line` for its line), for tests and styling.
        public var cssClass: String

        public init(name: String, points: [Point], shape: MarkerShape = .circle, color: String, filled: Bool = true,
                    size: Double = 4, connection: Connection = .none, cssClass: String) {
            self.name = name
            self.points = points
            self.shape = shape
            self.color = color
            self.filled = filled
            self.size = size
            self.connection = connection
            self.cssClass = cssClass
        }
    }

    public var title: String
    public var series: [Series]
    /// Drawn as a vertical dashed line with its value.
    public var budgetMACs: Int?
    /// The MACs the x axis must show (widened by a margin); nil: every point's.
    public var macsRange: ClosedRange<Int>?
    /// The accuracy the trials' points hold, for the axis title (published models are float).
    public var accuracyKind = PlottedAccuracy.float

    public init(title: String, series: [Series], budgetMACs: Int?, macsRange: ClosedRange<Int>? = nil) {
        self.title = title
        self.series = series
        self.budgetMACs = budgetMACs
        self.macsRange = macsRange
    }

    /// The x interval: ``macsRange`` (else every point and the budget) with a 25 % margin each side.
    func macsInterval() -> (lower: Double, upper: Double) {
        let margin = 1.25
        if let macsRange, macsRange.lowerBound > 0 {
            return (Double(macsRange.lowerBound) / margin, Double(macsRange.upperBound) * margin)
        }
        let macs = series.flatMap(\.points).filter { $0.macs > 0 && $0.accuracy.isFinite }.map { Double($0.macs) }
            + (budgetMACs.map { [Double($0)] } ?? [])
        return ((macs.min() ?? 1e8) / margin, (macs.max() ?? 1e9) * margin)
    }

    /// Ticks of a MACs axis, all in the unit of the largest (k, M or G), as plain numbers with the
    /// fewest decimals that tell them apart; the unit's name for the axis title.
    static func macsTicks(_ axis: PlotAxis) -> (ticks: [PlotAxis.Tick], unit: String) {
        let values = axis.ticks().map(\.value)
        let top = values.max() ?? axis.upper
        let (unit, factor) = [("G", 1e9), ("M", 1e6), ("k", 1e3)].first { top >= $0.1 } ?? ("", 1)
        var decimals = 0
        while decimals < 3, Set(values.map { SVGDocument.number($0 / factor, decimals: decimals) }).count < values.count {
            decimals += 1
        }
        let ticks = values.map { PlotAxis.Tick(value: $0, label: SVGDocument.number($0 / factor, decimals: decimals)) }
        return (ticks, unit)
    }

    /// The SVG document.
    public func render() -> String {
        let left = 84.0, top = 84.0, plotWidth = 640.0, plotHeight = 420.0
        var svg = SVGDocument(width: left + plotWidth + 40, height: top + plotHeight + 70)
        let interval = macsInterval()
        let xAxis = PlotAxis(scale: .log10, lower: interval.lower, upper: interval.upper, start: left, end: left + plotWidth)
        let shown = { (point: Point) in point.macs > 0 && point.accuracy.isFinite && xAxis.contains(Double(point.macs)) }
        let accuracies = series.flatMap(\.points).filter(shown).map(\.accuracy)
        let lowAccuracy = (accuracies.min() ?? 0) - 1, highAccuracy = (accuracies.max() ?? 1) + 1
        let yAxis = PlotAxis(scale: .linear, lower: lowAccuracy.rounded(.down), upper: highAccuracy.rounded(.up),
                             start: top + plotHeight, end: top)
        svg.text(title, x: left, y: 30, size: 16, weight: "bold", extra: [("class", "title")])
        drawLegend(&svg, x: left, y: 54, maxX: svg.width - 10, isShown: shown)
        let xTicks = Self.macsTicks(xAxis)
        svg.drawAxes(x: xAxis, y: yAxis, xLabel: "multiply-accumulates per image (\(xTicks.unit) MACs, log scale)",
                     yLabel: accuracyKind.axisTitle, xTicks: xTicks.ticks, yTicks: yAxis.ticks(target: 6))
        // The MACs beyond the budget, lightly shaded: where every trial breaks it.
        if let budgetMACs, xAxis.pixel(Double(budgetMACs)) < left + plotWidth {
            let from = max(left, xAxis.pixel(Double(budgetMACs)))
            svg.rect(x: from, y: top, width: left + plotWidth - from, height: plotHeight, fill: "#b2182b",
                     extra: [("fill-opacity", "0.06"), ("class", "over-budget-region")])
        }
        if let budgetMACs {
            let px = xAxis.pixel(Double(budgetMACs))
            svg.line(x1: px, y1: top, x2: px, y2: top + plotHeight, stroke: "#b2182b", width: 1.6,
                     extra: [("stroke-dasharray", "6 4"), ("class", "budget-line")])
            svg.text("budget " + Quantity.formatCount(budgetMACs), x: px + 5, y: top + 14, size: 12, fill: "#b2182b",
                     extra: [("class", "budget-label")])
        }
        drawOffScale(&svg, xAxis: xAxis, top: top, height: plotHeight, isShown: shown)
        for item in series {
            let ordered = item.points.filter(shown).sorted { ($0.macs, -$0.accuracy) < ($1.macs, -$1.accuracy) }
            let pixels = ordered.map { (x: xAxis.pixel(Double($0.macs)), y: yAxis.pixel($0.accuracy)) }
            switch item.connection {
            case .none: break
            case .straight:
                svg.polyline(pixels, stroke: item.color, width: 1.8, extra: [("class", item.cssClass + "-line")])
            case .step:
                var path: [(x: Double, y: Double)] = []
                for (k, p) in pixels.enumerated() {
                    if k > 0 { path.append((p.x, path[path.count - 1].y)) }
                    path.append(p)
                }
                svg.polyline(path, stroke: item.color, width: 1.8, extra: [("class", item.cssClass + "-line")])
            }
            for (point, pixel) in zip(ordered, pixels) {
                let over = point.overBudget
                let filled = item.filled && !over
                svg.marker(item.shape, x: pixel.x, y: pixel.y, size: item.size, fill: filled ? item.color : "#ffffff",
                           stroke: filled ? "#222222" : item.color, strokeWidth: over ? 1.8 : 1.2,
                           extra: [("class", item.cssClass + (over ? " over-budget" : ""))])
                if let label = point.label {
                    svg.text(label, x: pixel.x - 8, y: pixel.y - 8, size: 11, anchor: .end, fill: item.color,
                             extra: [("class", item.cssClass + "-label")])
                }
            }
        }
        return svg.render()
    }

    /// Beside the left or right edge, the labelled points of each series that lie beyond it, e.g.
    /// `v2-0.75 ... v2-2 (1.02-6.9 G) ->`, so that context left off the scale is still named.
    private func drawOffScale(_ svg: inout SVGDocument, xAxis: PlotAxis, top: Double, height: Double,
                              isShown: (Point) -> Bool) {
        for (k, item) in series.enumerated() {
            let off = item.points.filter { $0.macs > 0 && $0.accuracy.isFinite && !isShown($0) }
            for right in [false, true] {
                let side = off.filter { (Double($0.macs) > xAxis.upper) == right }.sorted { $0.macs < $1.macs }
                guard let first = side.first, let last = side.last else { continue }
                let names = side.compactMap(\.label)
                let what = names.isEmpty ? "\(side.count) more" : names.count <= 2
                    ? names.joined(separator: ", ") : "\(names[0]) ... \(names[names.count - 1])"
                let span = first.macs == last.macs ? Quantity.formatCount(first.macs)
                    : Quantity.formatCount(first.macs) + " to " + Quantity.formatCount(last.macs)
                let text = right ? "\(what) (\(span)) \u{2192}" : "\u{2190} \(what) (\(span))"
                svg.text(text, x: right ? xAxis.end - 6 : xAxis.start + 6, y: top + height - 10 - Double(k) * 16,
                         size: 11, anchor: right ? .end : .start, fill: item.color,
                         extra: [("class", item.cssClass + "-offscale")])
            }
        }
    }

    /// The legend, in rows under the title, where it never hides data: a series with no points has
    /// no entry, and "over budget" appears only when a point drawn is.
    private func drawLegend(_ svg: inout SVGDocument, x: Double, y: Double, maxX: Double, isShown: (Point) -> Bool) {
        var items = series.filter { !$0.points.isEmpty }.map { item in
            LegendItem(item.name, line: item.connection == .none ? nil : (item.color, 1.8, nil),
                       marker: (item.shape, item.filled ? item.color : "#ffffff", item.filled ? "#222222" : item.color))
        }
        if series.contains(where: { item in item.points.contains { isShown($0) && $0.overBudget } }) {
            items.append(LegendItem("over budget (hollow)", marker: (.circle, "#ffffff", "#555555")))
        }
        svg.legendRow(items, x: x, y: y, maxX: maxX)
    }
}
