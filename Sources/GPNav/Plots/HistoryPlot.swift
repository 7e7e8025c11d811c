import Foundation

/// Best accuracy so far against trial number, with every trial's accuracy as a dot.
///
/// The best-so-far line counts only complete trials within budget: at trial n it is
/// max { accuracy_k : k <= n, trial k complete and within budget }. Trials over budget are hollow
/// dots; failed or pruned trials are x marks along the bottom edge.
public struct HistoryPlot: Sendable {
    public struct Entry: Sendable, Equatable {
        public var number: Int
        /// Accuracy (%) of a complete trial; nil otherwise.
        public var accuracy: Double?
        public var failed: Bool
        public var withinBudget: Bool

        public init(number: Int, accuracy: Double?, failed: Bool, withinBudget: Bool) {
            self.number = number
            self.accuracy = accuracy
            self.failed = failed
            self.withinBudget = withinBudget
        }
    }

    public var title: String
    public var entries: [Entry]

    public init(title: String, entries: [Entry]) {
        self.title = title
        self.entries = entries
    }

    /// The best-so-far staircase's corners: (trial number, best accuracy within budget up to it).
    public var bestSoFar: [(number: Int, accuracy: Double)] {
        var best: Double?
        var result: [(number: Int, accuracy: Double)] = []
        for entry in entries.sorted(by: { $0.number < $1.number }) {
            if entry.withinBudget, let accuracy = entry.accuracy, accuracy.isFinite, accuracy > (best ?? -.infinity) {
                best = accuracy
            }
            if let best { result.append((entry.number, best)) }
        }
        return result
    }

    /// The SVG document.
    public func render() -> String {
        let left = 84.0, top = 76.0, plotWidth = 640.0, plotHeight = 380.0
        var svg = SVGDocument(width: left + plotWidth + 40, height: top + plotHeight + 70)
        let accuracies = entries.compactMap(\.accuracy).filter(\.isFinite)
        let numbers = entries.map { Double($0.number) }
        let xAxis = PlotAxis(scale: .linear, lower: (numbers.min() ?? 0) - 0.5, upper: (numbers.max() ?? 1) + 0.5,
                             start: left, end: left + plotWidth)
        let yAxis = PlotAxis(scale: .linear, lower: ((accuracies.min() ?? 0) - 1.5).rounded(.down),
                             upper: ((accuracies.max() ?? 1) + 0.5).rounded(.up), start: top + plotHeight, end: top)
        svg.text(title, x: left, y: 30, size: 16, weight: "bold", extra: [("class", "title")])
        svg.drawAxes(x: xAxis, y: yAxis, xLabel: "trial number", yLabel: "top-1 accuracy (%)",
                     xTicks: xAxis.ticks(target: 8).filter { $0.value == $0.value.rounded() },
                     yTicks: yAxis.ticks(target: 6))
        let steps = bestSoFar
        var path: [(x: Double, y: Double)] = []
        for (k, step) in steps.enumerated() {
            let px = xAxis.pixel(Double(step.number)), py = yAxis.pixel(step.accuracy)
            if k > 0 { path.append((px, path[path.count - 1].y)) }
            path.append((px, py))
        }
        svg.polyline(path, stroke: "#2166ac", width: 2.2, extra: [("class", "best-so-far")])
        for entry in entries {
            let px = xAxis.pixel(Double(entry.number))
            if let accuracy = entry.accuracy, accuracy.isFinite {
                svg.marker(.circle, x: px, y: yAxis.pixel(accuracy), size: 3.5,
                           fill: entry.withinBudget ? "#2166ac" : "#ffffff", stroke: entry.withinBudget ? "#222" : "#777",
                           extra: [("class", entry.withinBudget ? "trial-mark" : "trial-mark over-budget")])
            } else if entry.failed {
                svg.marker(.cross, x: px, y: top + plotHeight - 7, size: 4, fill: "none", stroke: "#b2182b",
                           extra: [("class", "failed-mark")])
            }
        }
        svg.legendRow([
            LegendItem("best so far within budget", line: ("#2166ac", 2.2, nil)),
            LegendItem("trial within budget", marker: (.circle, "#2166ac", "#222222")),
            LegendItem("trial over budget", marker: (.circle, "#ffffff", "#777777")),
            LegendItem("failed trial", marker: (.cross, "none", "#b2182b")),
        ], x: left, y: 54, maxX: svg.width - 10)
        return svg.render()
    }
}
