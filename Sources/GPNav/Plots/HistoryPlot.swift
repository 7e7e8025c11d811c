import Foundation

/// Best accuracy so far against trial number, with every trial's accuracy as a mark.
///
/// The best-so-far line counts only complete trials within budget: at trial n it is
/// max { accuracy_k : k <= n, trial k complete and within budget }. A trial's mark says what
/// proposed it (the downsizing chain, the GP, a random draw, or the user); trials over budget are
/// hollow; failed or pruned trials are x marks along the bottom edge. The legend lists only what
/// is drawn.
public struct HistoryPlot: Sendable {
    /// What proposed a trial, as the plot tells them apart.
    public enum Origin: String, Sendable, CaseIterable {
        /// The downsizing chain: its start model and its steps.
        case chain
        /// GP expected improvement.
        case gp
        /// A uniform random draw.
        case random
        /// Named by the user or imported.
        case other

        public init(_ kind: Proposal.Kind) {
            switch kind {
            case .start, .downsize: self = .chain
            case .gp: self = .gp
            case .random: self = .random
            case .manual, .imported: self = .other
            }
        }

        var style: (shape: MarkerShape, color: String, legend: String) {
            switch self {
            case .chain: (.square, "#e08214", "downsizing chain")
            case .gp: (.circle, "#2166ac", "GP expected improvement")
            case .random: (.diamond, "#1b7837", "random draw")
            case .other: (.diamond, "#7f7f7f", "given by the user (evaluate, import)")
            }
        }
    }

    public struct Entry: Sendable, Equatable {
        public var number: Int
        /// Accuracy (%) of a complete trial; nil otherwise.
        public var accuracy: Double?
        public var failed: Bool
        public var withinBudget: Bool
        public var origin: Origin

        public init(number: Int, accuracy: Double?, failed: Bool, withinBudget: Bool, origin: Origin = .other) {
            self.number = number
            self.accuracy = accuracy
            self.failed = failed
            self.withinBudget = withinBudget
            self.origin = origin
        }
    }

    public var title: String
    public var entries: [Entry]
    /// The accuracy the entries hold, for the axis title.
    public var accuracyKind = PlottedAccuracy.float

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
        svg.drawAxes(x: xAxis, y: yAxis, xLabel: "trial number", yLabel: accuracyKind.axisTitle,
                     xTicks: xAxis.ticks(target: 8).filter { $0.value == $0.value.rounded() },
                     yTicks: yAxis.ticks(target: 6))
        let steps = bestSoFar
        var path: [(x: Double, y: Double)] = []
        for (k, step) in steps.enumerated() {
            let px = xAxis.pixel(Double(step.number)), py = yAxis.pixel(step.accuracy)
            if k > 0 { path.append((px, path[path.count - 1].y)) }
            path.append((px, py))
        }
        if !path.isEmpty {
            svg.polyline(path, stroke: "#222222", width: 2.2, extra: [("class", "best-so-far")])
        }
        var drawn: [Origin] = [], anyOverBudget = false, anyFailed = false
        for entry in entries {
            let px = xAxis.pixel(Double(entry.number))
            let style = entry.origin.style
            if let accuracy = entry.accuracy, accuracy.isFinite {
                if !drawn.contains(entry.origin) { drawn.append(entry.origin) }
                anyOverBudget = anyOverBudget || !entry.withinBudget
                svg.marker(style.shape, x: px, y: yAxis.pixel(accuracy), size: 3.8,
                           fill: entry.withinBudget ? style.color : "#ffffff",
                           stroke: entry.withinBudget ? "#222222" : style.color, strokeWidth: entry.withinBudget ? 1.2 : 1.8,
                           extra: [("class", "trial-mark \(entry.origin.rawValue)" + (entry.withinBudget ? "" : " over-budget"))])
            } else if entry.failed {
                anyFailed = true
                svg.marker(.cross, x: px, y: top + plotHeight - 7, size: 4, fill: "none", stroke: "#b2182b",
                           extra: [("class", "failed-mark")])
            }
        }
        var legend: [LegendItem] = []
        if !path.isEmpty { legend.append(LegendItem("best so far within budget", line: ("#222222", 2.2, nil))) }
        for origin in Origin.allCases where drawn.contains(origin) {
            let style = origin.style
            legend.append(LegendItem(style.legend, marker: (style.shape, style.color, "#222222")))
        }
        if anyOverBudget { legend.append(LegendItem("over budget (hollow)", marker: (.circle, "#ffffff", "#555555"))) }
        if anyFailed { legend.append(LegendItem("failed or pruned", marker: (.cross, "none", "#b2182b"))) }
        svg.legendRow(legend, x: left, y: 54, maxX: svg.width - 10)
        return svg.render()
    }
}
