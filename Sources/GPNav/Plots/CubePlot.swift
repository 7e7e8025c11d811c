import Foundation
import MobileViT

/// A heat map of predicted accuracy over two factors of the cube, one panel or a grid of them.
///
/// Each panel colours the grid cells by the GP's predicted mean (shared viridis scale across
/// panels, with a colour bar in top-1 %; see ``colorDomain``), draws dashed contours of the predicted standard
/// deviation and solid iso-MACs lines (exact cost model) at the budget and its multiples, and
/// marks the evaluated trials: filled, coloured by their observed accuracy, when their other two
/// factors equal the panel's; small, hollow and faded otherwise.
public struct CubePlot: Sendable {
    public var title: String
    public var slices: [CubeSlice]
    /// Panels per row (1 for a single panel).
    public var columns: Int
    /// The budget whose iso-MACs lines are drawn (times each of ``macsMultiples``); none if nil.
    public var budgetMACs: Int?
    public var macsMultiples: [Double]
    /// The MACs the study explored (its trials and budget): the cells whose MACs lie in it set the
    /// colour scale; nil: every cell.
    public var exploredMACs: ClosedRange<Double>?
    /// A line under the legend, e.g. why a factor is drawn as panels.
    public var note: String?
    /// The accuracy the GP predicts and the marks hold, for the colour bar and the legend.
    public var accuracyKind = PlottedAccuracy.float

    public init(title: String, slices: [CubeSlice], columns: Int = 1, budgetMACs: Int?,
                macsMultiples: [Double] = [0.5, 1, 2], exploredMACs: ClosedRange<Double>? = nil, note: String? = nil) {
        self.title = title
        self.slices = slices
        self.columns = max(1, columns)
        self.budgetMACs = budgetMACs
        self.macsMultiples = macsMultiples
        self.exploredMACs = exploredMACs
        self.note = note
    }

    /// The predicted accuracies the colours span, widened to whole points: the predicted means of
    /// the cells whose MACs lie in ``exploredMACs`` and the trials' observed accuracies, so that
    /// an extrapolated corner far from every trial does not set the scale (cells beyond it take
    /// the end colours, and the colour bar shows an arrow at that end). Without ``exploredMACs``,
    /// or when no cell lies in it, every cell's mean.
    public var colorDomain: ClosedRange<Double> {
        var values: [Double] = []
        var all: [Double] = []
        for slice in slices {
            for j in slice.mean.indices {
                for i in slice.mean[j].indices where slice.mean[j][i].isFinite {
                    all.append(slice.mean[j][i])
                    if let exploredMACs, exploredMACs.contains(slice.macs[j][i]) { values.append(slice.mean[j][i]) }
                }
            }
        }
        if exploredMACs != nil, !values.isEmpty {
            values += slices.flatMap(\.marks).map(\.accuracy).filter(\.isFinite)
        } else {
            values = all
        }
        let lower = (values.min() ?? 0).rounded(.down), upper = (values.max() ?? 1).rounded(.up)
        return lower...(upper > lower ? upper : lower + 1)
    }

    private struct Layout {
        var panelWidth: Double, panelHeight: Double, gapX: Double, gapY: Double
        var left = 84.0, top = 100.0, right = 150.0, bottom = 64.0
    }

    /// The SVG document.
    public func render() -> String {
        let single = slices.count <= 1
        var layout = single
            ? Layout(panelWidth: 560, panelHeight: 400, gapX: 0, gapY: 0)
            : columns <= 2 ? Layout(panelWidth: 300, panelHeight: 260, gapX: 18, gapY: 34)
            : Layout(panelWidth: 190, panelHeight: 150, gapX: 18, gapY: 34)
        // Panels are captioned by what differs between them; what they share is said once.
        let names = slices.first?.fixed.map(\.factor.name) ?? []
        let varying = names.filter { name in
            Set(slices.map { $0.fixed.first { $0.factor.name == name }?.value ?? .nan }).count > 1
        }
        let shared = single ? "" : slices.first?.caption(of: names.filter { !varying.contains($0) }) ?? ""
        let notes = [note, shared.isEmpty ? nil : "in every panel: " + shared].compactMap { $0 }
        layout.top += 18 * Double(notes.count)
        let rows = max(1, (slices.count + columns - 1) / columns)
        let plotWidth = Double(columns) * layout.panelWidth + Double(columns - 1) * layout.gapX
        let plotHeight = Double(rows) * layout.panelHeight + Double(rows - 1) * layout.gapY + (single ? 0 : 18)
        var svg = SVGDocument(width: layout.left + plotWidth + layout.right, height: layout.top + plotHeight + layout.bottom)

        let means = slices.flatMap { $0.mean.flatMap { $0 } }.filter(\.isFinite)
        let domain = colorDomain
        let scale = ColorScale(lower: domain.lowerBound, upper: domain.upperBound)
        let sds = slices.flatMap { $0.standardDeviation.flatMap { $0 } }.filter(\.isFinite)
        let sdLevels = PlotAxis(scale: .linear, lower: sds.min() ?? 0, upper: sds.max() ?? 1, start: 0, end: 1)
            .ticks(target: 4).map(\.value).filter { $0 > (sds.min() ?? 0) && $0 < (sds.max() ?? 0) }
        let macsLevels = budgetMACs.map { budget in macsMultiples.map { Double(budget) * $0 } } ?? []

        svg.text(title, x: layout.left, y: 28, size: 16, weight: "bold", extra: [("class", "title")])
        let legendBottom = drawLegend(&svg, x: layout.left, y: 54, maxX: svg.width - 10, hasBudget: !macsLevels.isEmpty)
        for (k, line) in notes.enumerated() {
            svg.text(line, x: layout.left, y: legendBottom + 20 + 18 * Double(k), size: 12, fill: "#444444",
                     extra: [("class", "note")])
        }

        for (index, slice) in slices.enumerated() {
            let column = index % columns, row = index / columns
            let x0 = layout.left + Double(column) * (layout.panelWidth + layout.gapX)
            let y0 = layout.top + (single ? 0 : 18) + Double(row) * (layout.panelHeight + layout.gapY)
            let xEdges = Self.edges(slice.xValues), yEdges = Self.edges(slice.yValues)
            let xAxis = PlotAxis(scale: .linear, lower: xEdges.first ?? 0, upper: xEdges.last ?? 1,
                                 start: x0, end: x0 + layout.panelWidth)
            let yAxis = PlotAxis(scale: .linear, lower: yEdges.first ?? 0, upper: yEdges.last ?? 1,
                                 start: y0 + layout.panelHeight, end: y0)
            let holdsRecommended = slice.marks.contains { $0.recommended && $0.onSlice }
            if !single {
                svg.text(slice.caption(of: varying), x: x0 + layout.panelWidth / 2, y: y0 - 7, size: 11, anchor: .middle,
                         weight: "bold", fill: holdsRecommended ? "#d6604d" : "#222222",
                         extra: [("class", "panel-caption" + (holdsRecommended ? " recommended-caption" : ""))])
            } else {
                svg.text("fixed: " + slice.caption, x: x0 + layout.panelWidth, y: y0 - 8, size: 12, anchor: .end,
                         extra: [("class", "panel-caption")])
            }
            drawPanel(&svg, slice, index: index, labelMACs: single || index == 0, xAxis: xAxis, yAxis: yAxis, xEdges: xEdges, yEdges: yEdges,
                      scale: scale, sdLevels: sdLevels, macsLevels: macsLevels)
            let bottomRow = row == rows - 1 || index + columns >= slices.count
            svg.drawAxes(x: xAxis, y: yAxis,
                         xLabel: single ? slice.xLabel : nil, yLabel: single ? slice.yLabel : nil,
                         xTicks: Self.ticks(slice.x, slice.xValues, xAxis, dense: !single),
                         yTicks: Self.ticks(slice.y, slice.yValues, yAxis, dense: !single),
                         showXTickLabels: bottomRow, showYTickLabels: column == 0, gridLines: false)
            if holdsRecommended && !single {
                svg.rect(x: x0 - 2, y: y0 - 2, width: layout.panelWidth + 4, height: layout.panelHeight + 4, fill: "none",
                         stroke: "#d6604d", extra: [("stroke-width", "3"), ("class", "recommended-panel")])
            }
        }
        // Small multiples share their axes: each title once, centred on the whole grid.
        if !single, let first = slices.first {
            let gridTop = layout.top + 18
            svg.text(first.xLabel, x: layout.left + plotWidth / 2, y: gridTop + plotHeight - 18 + 40, size: 13,
                     anchor: .middle, extra: [("class", "axis-label")])
            svg.text(first.yLabel, x: layout.left - 48, y: gridTop + (plotHeight - 18) / 2, size: 13, anchor: .middle,
                     rotation: -90, extra: [("class", "axis-label")])
        }
        drawColorBar(&svg, scale: scale, x: layout.left + plotWidth + 40, top: layout.top + (single ? 0 : 18),
                     height: min(plotHeight - (single ? 0 : 18), 400),
                     beyond: (below: means.contains { $0 < scale.lower }, above: means.contains { $0 > scale.upper }))
        return svg.render()
    }

    private func drawPanel(_ svg: inout SVGDocument, _ slice: CubeSlice, index: Int, labelMACs: Bool, xAxis: PlotAxis, yAxis: PlotAxis,
                           xEdges: [Double], yEdges: [Double], scale: ColorScale, sdLevels: [Double],
                           macsLevels: [Double]) {
        svg.beginGroup([("class", "heatmap")])
        for j in slice.yValues.indices {
            for i in slice.xValues.indices {
                let value = slice.mean[j][i]
                let px0 = xAxis.pixel(xEdges[i]), px1 = xAxis.pixel(xEdges[i + 1])
                let py0 = yAxis.pixel(yEdges[j + 1]), py1 = yAxis.pixel(yEdges[j])
                // Cells overlap by a quarter pixel so that renderers leave no hairline seams.
                svg.rect(x: px0, y: py0, width: px1 - px0 + 0.25, height: py1 - py0 + 0.25,
                         fill: value.isFinite ? scale.color(value).hex : "#cccccc",
                         extra: [("class", "heat-cell")])
            }
        }
        svg.endGroup()
        let clipID = "panel-\(index)"
        svg.clipRect(id: clipID, x: min(xAxis.start, xAxis.end), y: min(yAxis.start, yAxis.end),
                     width: abs(xAxis.end - xAxis.start), height: abs(yAxis.end - yAxis.start))
        svg.beginGroup([("clip-path", "url(#\(clipID))")])
        func pixels(_ segments: [ContourLines.Segment]) -> [(Double, Double, Double, Double)] {
            segments.map { (xAxis.pixel($0.x0), yAxis.pixel($0.y0), xAxis.pixel($0.x1), yAxis.pixel($0.y1)) }
        }
        var labels: [(String, Double, Double)] = []
        for level in sdLevels {
            let segments = pixels(ContourLines.segments(xs: slice.xValues, ys: slice.yValues,
                                                        values: slice.standardDeviation, level: level))
            guard !segments.isEmpty else { continue }
            svg.segments(segments, stroke: "#ffffff", width: 2.6, extra: [("stroke-opacity", "0.6")])
            svg.segments(segments, stroke: "#1a1a1a", width: 1.1,
                         extra: [("stroke-dasharray", "4 3"), ("class", "sd-contour")])
            labels.append((SVGDocument.number(level), Self.anchor(segments, at: 0.3).0, Self.anchor(segments, at: 0.3).1))
        }
        let logMACs = slice.macs.map { $0.map { $0 > 0 ? log($0) : .nan } }
        for (k, level) in macsLevels.sorted().enumerated() {
            let segments = pixels(ContourLines.segments(xs: slice.xValues, ys: slice.yValues, values: logMACs,
                                                        level: log(level)))
            guard !segments.isEmpty else { continue }
            let isBudget = abs(level - Double(budgetMACs ?? 0)) < 0.5
            svg.segments(segments, stroke: "#ffffff", width: isBudget ? 4.5 : 3.4)
            svg.segments(segments, stroke: "#000000", width: isBudget ? 2.2 : 1.3,
                         extra: [("class", isBudget ? "macs-contour budget-line" : "macs-contour")])
            // Labels spread along the lines so that neighbouring levels do not collide.
            guard labelMACs else { continue }
            let at = Self.anchor(segments, at: [0.2, 0.5, 0.8][k % 3])
            labels.append((Quantity.formatCount(Int(level.rounded())), at.0, at.1))
        }
        svg.beginGroup([("class", "trial-marks")])
        for mark in slice.marks.filter({ !$0.onSlice }) {
            svg.circle(cx: xAxis.pixel(mark.x), cy: yAxis.pixel(mark.y), r: 2.6, fill: "none", stroke: "#ffffff",
                       strokeWidth: 1, extra: [("stroke-opacity", "0.55"), ("class", "trial-mark off-slice")])
        }
        for mark in slice.marks.filter(\.onSlice) {
            svg.circle(cx: xAxis.pixel(mark.x), cy: yAxis.pixel(mark.y), r: 5, fill: scale.color(mark.accuracy).hex,
                       stroke: "#000000", strokeWidth: 1.6, extra: [("class", "trial-mark on-slice")])
            if mark.recommended {
                svg.circle(cx: xAxis.pixel(mark.x), cy: yAxis.pixel(mark.y), r: 9, fill: "none", stroke: "#d6604d",
                           strokeWidth: 2.4, extra: [("class", "recommended-mark")])
            }
        }
        svg.endGroup()
        for (text, x, y) in labels {
            svg.text(text, x: x, y: y - 4, size: 11, anchor: .middle, weight: "bold", fill: "#000000",
                     extra: [("stroke", "#ffffff"), ("stroke-width", "3"), ("paint-order", "stroke"),
                             ("class", "contour-label")])
        }
        svg.endGroup()
    }

    private func drawLegend(_ svg: inout SVGDocument, x: Double, y: Double, maxX: Double, hasBudget: Bool) -> Double {
        var items: [LegendItem] = []
        if hasBudget {
            let levels = macsMultiples.sorted().map { multiple in
                Quantity.formatCount(Int((Double(budgetMACs ?? 0) * multiple).rounded())) + (multiple == 1 ? " (budget, thick)" : "")
            }
            items.append(LegendItem("iso-MACs " + levels.joined(separator: ", "), line: ("#000000", 2.2, nil)))
        }
        items.append(LegendItem("predicted s.d. (points)", line: ("#000000", 1.1, "4 3")))
        items.append(LegendItem("trial on this slice (fill: observed \(accuracyKind.name))", marker: (.circle, "#888888", "#000000")))
        items.append(LegendItem("trial elsewhere", marker: (.circle, "none", "#666666")))
        if slices.contains(where: { $0.marks.contains { $0.recommended && $0.onSlice } }) {
            items.append(LegendItem(slices.count > 1 ? "recommended trial (its panel framed)" : "recommended trial",
                                    marker: (.circle, "none", "#d6604d")))
        }
        return svg.legendRow(items, x: x, y: y, maxX: maxX)
    }

    /// The colour bar; `beyond` adds a triangle at an end that some cells lie past (clamped).
    private func drawColorBar(_ svg: inout SVGDocument, scale: ColorScale, x: Double, top: Double, height: Double,
                              beyond: (below: Bool, above: Bool)) {
        let steps = 64
        let axis = PlotAxis(scale: .linear, lower: scale.lower, upper: scale.upper, start: top + height, end: top)
        svg.beginGroup([("class", "colorbar")])
        for k in 0..<steps {
            let t0 = Double(k) / Double(steps), t1 = Double(k + 1) / Double(steps)
            let y1 = top + height * (1 - t0), y0 = top + height * (1 - t1)
            svg.rect(x: x, y: y0, width: 18, height: y1 - y0 + 0.3,
                     fill: ColorScale.color(at: (t0 + t1) / 2).hex)
        }
        svg.rect(x: x, y: top, width: 18, height: height, fill: "none", stroke: "#333")
        if beyond.above {
            svg.polygon([(x, top - 2), (x + 18, top - 2), (x + 9, top - 14)], fill: ColorScale.color(at: 1).hex,
                        stroke: "#333", strokeWidth: 1, extra: [("class", "colorbar-extension above")])
        }
        if beyond.below {
            svg.polygon([(x, top + height + 2), (x + 18, top + height + 2), (x + 9, top + height + 14)],
                        fill: ColorScale.color(at: 0).hex, stroke: "#333", strokeWidth: 1,
                        extra: [("class", "colorbar-extension below")])
        }
        for tick in axis.ticks(target: 6) {
            let py = axis.pixel(tick.value)
            svg.line(x1: x + 18, y1: py, x2: x + 23, y2: py, stroke: "#333")
            svg.text(tick.label, x: x + 26, y: py + 4, size: 11)
        }
        svg.text("predicted \(accuracyKind.name) (%)", x: x + 62, y: top + height / 2, size: 13, anchor: .middle, rotation: -90,
                 extra: [("class", "colorbar-label")])
        svg.endGroup()
    }

    /// Cell edges around grid values: midpoints between neighbours, half a gap beyond each end.
    static func edges(_ values: [Double]) -> [Double] {
        guard values.count >= 2 else {
            let v = values.first ?? 0
            let half = v == 0 ? 0.5 : abs(v) * 0.1
            return [v - half, v + half]
        }
        var edges = [values[0] - (values[1] - values[0]) / 2]
        for k in 0..<(values.count - 1) { edges.append((values[k] + values[k + 1]) / 2) }
        edges.append(values[values.count - 1] + (values[values.count - 1] - values[values.count - 2]) / 2)
        return edges
    }

    /// Every grid value for short axes, nice round values (on the grid's span) for long ones.
    static func ticks(_ factor: CubeFactor, _ values: [Double], _ axis: PlotAxis, dense: Bool) -> [PlotAxis.Tick] {
        let limit = dense ? 5 : 8
        if values.count <= limit {
            return values.map { PlotAxis.Tick(value: $0, label: SVGDocument.number($0, decimals: 3)) }
        }
        let span = PlotAxis(scale: .linear, lower: values.first ?? 0, upper: values.last ?? 1, start: 0, end: 1)
        return span.ticks(target: dense ? 4 : 6).filter { axis.contains($0.value) }
    }

    /// A point on the contour to hang its label: the midpoint of the segment at fraction `f` of
    /// the segments ordered by x.
    static func anchor(_ segments: [(Double, Double, Double, Double)], at f: Double) -> (Double, Double) {
        let sorted = segments.sorted { $0.0 + $0.2 < $1.0 + $1.2 }
        let s = sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * f))]
        return ((s.0 + s.2) / 2, (s.1 + s.3) / 2)
    }
}
