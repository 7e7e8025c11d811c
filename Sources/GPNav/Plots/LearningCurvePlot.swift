import Foundation
import MobileViT

/// Every trial's learning curve: top-1 accuracy against epochs, one line per trial.
///
/// A line's colour is its network's MACs on a logarithmic viridis scale (dark: small, yellow:
/// large), so that the fast-rising small networks and the slow large ones can be told apart;
/// the curve of the best trial within budget is drawn last, thick and black; a failed or pruned
/// trial's curve is dashed. A curve of one point is a dot. The legend lists only what is drawn.
public struct LearningCurvePlot: Sendable {
    /// One trial's curve.
    public struct Curve: Sendable, Equatable {
        public var number: Int
        public var macs: Int
        public var state: TrialState
        /// Points in epoch order.
        public var points: [EpochReport]
        /// Whether this is the best trial within budget.
        public var isBest: Bool

        public init(number: Int, macs: Int, state: TrialState, points: [EpochReport], isBest: Bool = false) {
            self.number = number
            self.macs = macs
            self.state = state
            self.points = points
            self.isBest = isBest
        }
    }

    public var title: String
    public var curves: [Curve]

    public init(title: String, curves: [Curve]) {
        self.title = title
        self.curves = curves
    }

    /// The SVG document.
    public func render() -> String {
        let left = 84.0, top = 76.0, plotWidth = 640.0, plotHeight = 380.0
        var svg = SVGDocument(width: left + plotWidth + 40, height: top + plotHeight + 70)
        let points = curves.flatMap(\.points).filter { $0.accuracy.isFinite }
        let lastEpoch = Double(points.map(\.epoch).max() ?? 1)
        let xAxis = PlotAxis(scale: .linear, lower: 0.5, upper: lastEpoch + 0.5, start: left, end: left + plotWidth)
        let yAxis = PlotAxis(scale: .linear, lower: max(0, ((points.map(\.accuracy).min() ?? 0) - 1).rounded(.down)),
                             upper: min(100, ((points.map(\.accuracy).max() ?? 1) + 1).rounded(.up)),
                             start: top + plotHeight, end: top)
        svg.text(title, x: left, y: 30, size: 16, weight: "bold", extra: [("class", "title")])
        svg.drawAxes(x: xAxis, y: yAxis, xLabel: "epoch", yLabel: "top-1 accuracy (%)",
                     xTicks: xAxis.ticks(target: 8).filter { $0.value == $0.value.rounded() && $0.value >= 1 },
                     yTicks: yAxis.ticks(target: 6))
        let logMACs = curves.filter { $0.macs > 0 }.map { log(Double($0.macs)) }
        let colors = ColorScale(lower: logMACs.min() ?? 0, upper: logMACs.max() ?? 1)
        var anyStopped = false, anyBest = false
        // The best trial last, so that it lies on top.
        for curve in curves.sorted(by: { ($0.isBest ? 1 : 0, $0.number) < ($1.isBest ? 1 : 0, $1.number) }) {
            let stopped = curve.state == .failed || curve.state == .pruned
            anyStopped = anyStopped || stopped
            anyBest = anyBest || curve.isBest
            let color = curve.isBest ? "#111111" : colors.color(log(Double(max(1, curve.macs)))).hex
            var extra = [("class", "curve trial-\(curve.number)" + (curve.isBest ? " best" : "") + (stopped ? " stopped" : ""))]
            if stopped { extra.append(("stroke-dasharray", "5 3")) }
            let path = curve.points.map { (x: xAxis.pixel(Double($0.epoch)), y: yAxis.pixel($0.accuracy)) }
            if path.count == 1, let only = path.first {
                svg.marker(.circle, x: only.x, y: only.y, size: 3, fill: color, stroke: color, extra: extra)
            } else {
                svg.polyline(path, stroke: color, width: curve.isBest ? 2.6 : 1.3, extra: extra)
            }
        }
        var legend: [LegendItem] = []
        if let low = curves.map(\.macs).filter({ $0 > 0 }).min(), let high = curves.map(\.macs).max(), high > low {
            legend.append(LegendItem("\(Quantity.formatCount(low)) MACs", line: (ColorScale.color(at: 0).hex, 2, nil)))
            legend.append(LegendItem("\(Quantity.formatCount(high)) MACs", line: (ColorScale.color(at: 1).hex, 2, nil)))
        }
        if anyBest { legend.append(LegendItem("best trial within budget", line: ("#111111", 2.6, nil))) }
        if anyStopped { legend.append(LegendItem("failed or pruned", line: ("#555555", 1.3, "5 3"))) }
        svg.legendRow(legend, x: left, y: 54, maxX: svg.width - 10)
        return svg.render()
    }
}
