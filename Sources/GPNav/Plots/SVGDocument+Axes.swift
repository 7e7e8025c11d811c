import Foundation

extension SVGDocument {
    /// Draws a plot frame: the box, ticks with labels along the bottom (x) and left (y) edges,
    /// light grid lines, and the axis titles (with units) below and rotated to the left.
    /// Every piece carries a `class` (`axis`, `tick-label`, `axis-label`) so tests can find it.
    public mutating func drawAxes(x: PlotAxis, y: PlotAxis, xLabel: String?, yLabel: String?,
                                  xTicks: [PlotAxis.Tick], yTicks: [PlotAxis.Tick],
                                  showXTickLabels: Bool = true, showYTickLabels: Bool = true,
                                  gridLines: Bool = true) {
        let left = min(x.start, x.end), right = max(x.start, x.end)
        let top = min(y.start, y.end), bottom = max(y.start, y.end)
        if gridLines {
            for tick in xTicks {
                line(x1: x.pixel(tick.value), y1: top, x2: x.pixel(tick.value), y2: bottom, stroke: "#e6e6e6",
                     extra: [("class", "grid-line")])
            }
            for tick in yTicks {
                line(x1: left, y1: y.pixel(tick.value), x2: right, y2: y.pixel(tick.value), stroke: "#e6e6e6",
                     extra: [("class", "grid-line")])
            }
        }
        rect(x: left, y: top, width: right - left, height: bottom - top, fill: "none", stroke: "#333",
             extra: [("class", "axis")])
        for tick in xTicks {
            let px = x.pixel(tick.value)
            line(x1: px, y1: bottom, x2: px, y2: bottom + 5, stroke: "#333", extra: [("class", "axis")])
            if showXTickLabels {
                text(tick.label, x: px, y: bottom + 19, size: 11, anchor: .middle, extra: [("class", "tick-label")])
            }
        }
        for tick in yTicks {
            let py = y.pixel(tick.value)
            line(x1: left - 5, y1: py, x2: left, y2: py, stroke: "#333", extra: [("class", "axis")])
            if showYTickLabels {
                text(tick.label, x: left - 8, y: py + 4, size: 11, anchor: .end, extra: [("class", "tick-label")])
            }
        }
        if let xLabel {
            text(xLabel, x: (left + right) / 2, y: bottom + 40, size: 13, anchor: .middle,
                 extra: [("class", "axis-label")])
        }
        if let yLabel {
            text(yLabel, x: left - 48, y: (top + bottom) / 2, size: 13, anchor: .middle, rotation: -90,
                 extra: [("class", "axis-label")])
        }
    }

    /// A point marker of the given shape, centred at (x, y).
    public mutating func marker(_ shape: MarkerShape, x: Double, y: Double, size: Double, fill: String,
                                stroke: String, strokeWidth: Double = 1.2, extra: [(String, String)] = []) {
        switch shape {
        case .circle:
            circle(cx: x, cy: y, r: size, fill: fill, stroke: stroke, strokeWidth: strokeWidth, extra: extra)
        case .square:
            rect(x: x - size, y: y - size, width: 2 * size, height: 2 * size, fill: fill, stroke: stroke,
                 extra: extra + [("stroke-width", SVGDocument.number(strokeWidth))])
        case .diamond:
            let s = size * 1.3
            polygon([(x, y - s), (x + s, y), (x, y + s), (x - s, y)], fill: fill, stroke: stroke,
                    strokeWidth: strokeWidth, extra: extra)
        case .cross:
            segments([(x - size, y - size, x + size, y + size), (x - size, y + size, x + size, y - size)],
                     stroke: stroke, width: strokeWidth + 0.6, extra: extra)
        }
    }
}

/// Shapes of point markers.
public enum MarkerShape: Sendable {
    case circle, square, diamond, cross
}
