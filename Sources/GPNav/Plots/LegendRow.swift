/// One entry of a plot legend: a symbol and its text.
public struct LegendItem: Sendable {
    public var text: String
    /// A line sample (colour, width, dash pattern), drawn under the marker when both are given.
    public var line: (color: String, width: Double, dash: String?)?
    /// A marker sample (shape, fill, stroke).
    public var marker: (shape: MarkerShape, fill: String, stroke: String)?

    public init(_ text: String, line: (color: String, width: Double, dash: String?)? = nil,
                marker: (shape: MarkerShape, fill: String, stroke: String)? = nil) {
        self.text = text
        self.line = line
        self.marker = marker
    }
}

extension SVGDocument {
    /// Approximate width in pixels of `text` at `size` in a sans-serif font (0.58 em per character).
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.58
    }

    /// A legend laid out left to right from (x, y) (text baseline), wrapping before `maxX`.
    /// - Returns: the baseline of the last row.
    @discardableResult
    public mutating func legendRow(_ items: [LegendItem], x: Double, y: Double, maxX: Double) -> Double {
        var cursor = x, baseline = y
        for item in items {
            let width = 32 + Self.textWidth(item.text, size: 12)
            if cursor > x, cursor + width > maxX {
                cursor = x
                baseline += 18
            }
            if let line = item.line {
                var extra: [(String, String)] = []
                if let dash = line.dash { extra.append(("stroke-dasharray", dash)) }
                self.line(x1: cursor, y1: baseline - 4, x2: cursor + 24, y2: baseline - 4, stroke: line.color,
                          width: line.width, extra: extra)
            }
            if let marker = item.marker {
                self.marker(marker.shape, x: cursor + 12, y: baseline - 4, size: 4, fill: marker.fill, stroke: marker.stroke)
            }
            text(item.text, x: cursor + 30, y: baseline, size: 12, extra: [("class", "legend")])
            cursor += width + 16
        }
        return baseline
    }
}
