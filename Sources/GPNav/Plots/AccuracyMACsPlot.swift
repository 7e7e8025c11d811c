import Foundation
import MobileViT

/// Accuracy (%) against MACs on a log10 axis, for any number of point series: the Pareto plot of
/// a study, or families of models compared at equal MACs.
public struct AccuracyMACsPlot: Sendable {
    /// One model: its MACs, top-1 accuracy (%) and an optional label drawn beside it.
    public struct Point: Sendable, Equatable {
        public var macs: Int
        public var accuracy: Double
        public var label: String?

        public init(macs: Int, accuracy: Double, label: String? = nil) {
            self.macs = macs
            self.accuracy = accuracy
            self.label = label
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

    public init(title: String, series: [Series], budgetMACs: Int?) {
        self.title = title
        self.series = series
        self.budgetMACs = budgetMACs
    }

    /// The SVG document.
    public func render() -> String {
        let left = 84.0, top = 84.0, plotWidth = 640.0, plotHeight = 420.0
        var svg = SVGDocument(width: left + plotWidth + 40, height: top + plotHeight + 70)
        let points = series.flatMap(\.points).filter { $0.macs > 0 && $0.accuracy.isFinite }
        let macs = points.map { Double($0.macs) } + (budgetMACs.map { [Double($0)] } ?? [])
        let accuracies = points.map(\.accuracy)
        let xAxis = PlotAxis(scale: .log10, lower: (macs.min() ?? 1e8) / 1.3, upper: (macs.max() ?? 1e9) * 1.3,
                             start: left, end: left + plotWidth)
        let lowAccuracy = (accuracies.min() ?? 0) - 1, highAccuracy = (accuracies.max() ?? 1) + 1
        let yAxis = PlotAxis(scale: .linear, lower: lowAccuracy.rounded(.down), upper: highAccuracy.rounded(.up),
                             start: top + plotHeight, end: top)
        svg.text(title, x: left, y: 30, size: 16, weight: "bold", extra: [("class", "title")])
        drawLegend(&svg, x: left, y: 54, maxX: svg.width - 10)
        svg.drawAxes(x: xAxis, y: yAxis, xLabel: "multiply-accumulates per image (MACs, log scale)",
                     yLabel: "top-1 accuracy (%)",
                     xTicks: xAxis.ticks(format: { Quantity.formatCount(Int($0.rounded())) }),
                     yTicks: yAxis.ticks(target: 6))
        if let budgetMACs {
            let px = xAxis.pixel(Double(budgetMACs))
            svg.line(x1: px, y1: top, x2: px, y2: top + plotHeight, stroke: "#b2182b", width: 1.6,
                     extra: [("stroke-dasharray", "6 4"), ("class", "budget-line")])
            svg.text("budget " + Quantity.formatCount(budgetMACs), x: px + 5, y: top + 14, size: 12, fill: "#b2182b",
                     extra: [("class", "budget-label")])
        }
        for item in series {
            let ordered = item.points.sorted { ($0.macs, -$0.accuracy) < ($1.macs, -$1.accuracy) }
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
                svg.marker(item.shape, x: pixel.x, y: pixel.y, size: item.size, fill: item.filled ? item.color : "#ffffff",
                           stroke: item.filled ? "#222222" : item.color, extra: [("class", item.cssClass)])
                if let label = point.label {
                    svg.text(label, x: pixel.x - 8, y: pixel.y - 8, size: 11, anchor: .end, fill: item.color,
                             extra: [("class", item.cssClass + "-label")])
                }
            }
        }
        return svg.render()
    }

    /// The legend, in rows under the title, where it never hides data.
    private func drawLegend(_ svg: inout SVGDocument, x: Double, y: Double, maxX: Double) {
        svg.legendRow(series.map { item in
            LegendItem(item.name, line: item.connection == .none ? nil : (item.color, 1.8, nil),
                       marker: (item.shape, item.filled ? item.color : "#ffffff", item.filled ? "#222222" : item.color))
        }, x: x, y: y, maxX: maxX)
    }
}
