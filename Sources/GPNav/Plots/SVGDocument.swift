import Foundation

/// A small SVG 1.1 writer: shapes and text appended in drawing order, rendered as one string.
///
/// Coordinates are user units (pixels) with y growing downwards. Numbers are written with at most
/// two decimals (trailing zeros dropped), so output is stable across platforms; text is escaped
/// for XML (`&`, `<`, `>`, `"`, `'`). Non-finite coordinates never reach the output: a shape with
/// one is skipped, so a bad data point cannot make the file unreadable.
public struct SVGDocument: Sendable {
    /// Horizontal anchoring of text.
    public enum Anchor: String, Sendable { case start, middle, end }

    public let width: Double
    public let height: Double
    /// Font family of all text (sans-serif, readable when printed).
    public var fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"
    private var body: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// `value` with at most `decimals` decimals, without trailing zeros (`12.5`, `3`, `-0.25`),
    /// rounded half to even as `%.2f` rounds an exact tie.
    ///
    /// A picture writes thousands of numbers and `String(format:)` made most of a history
    /// picture's drawing time, so the usual case is written from the integer of scaled units; the
    /// two agree but where the scaling itself rounds onto a tie (tested against `String(format:)`).
    public static func number(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "0" }
        if (0...9).contains(decimals) {
            var scale = 1.0
            for _ in 0..<decimals { scale *= 10 }  // exact: powers of ten up to 1e9 are doubles
            let scaled = (value.magnitude * scale).rounded(.toNearestOrEven)
            // Below 2^53 every integer is a double, so the units convert exactly.
            if scaled < 9_007_199_254_740_992 {
                return fixedPoint(units: UInt64(scaled), decimals: decimals, negative: value < 0)
            }
        }
        return formattedNumber(value, decimals: decimals)
    }

    /// `units` / 10^`decimals` written without trailing zeros; no sign for zero.
    private static func fixedPoint(units: UInt64, decimals: Int, negative: Bool) -> String {
        var units = units
        var places = decimals
        while places > 0, units % 10 == 0 {
            units /= 10
            places -= 1
        }
        var digits = String(units)
        if places > 0 {
            if digits.count <= places {
                digits = String(repeating: "0", count: places - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        }
        return negative && units != 0 ? "-" + digits : digits
    }

    /// ``number(_:decimals:)`` through `String(format:)`, for more than nine decimals or a
    /// magnitude beyond exact integers.
    static func formattedNumber(_ value: Double, decimals: Int) -> String {
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// `text` escaped for XML character data and attribute values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static func n(_ value: Double) -> String { number(value) }

    /// Attribute list ` k="v"` from pairs, escaping values; `class` pairs identify plot elements.
    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    // MARK: - Shapes

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                              stroke: String? = nil, extra: [(String, String)] = []) {
        guard [x, y, width, height].allSatisfy(\.isFinite) else { return }
        var pairs = [("x", Self.n(x)), ("y", Self.n(y)), ("width", Self.n(width)), ("height", Self.n(height)),
                     ("fill", fill)]
        if let stroke { pairs.append(("stroke", stroke)) }
        body.append("<rect\(Self.attributes(pairs + extra))/>")
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
                              width: Double = 1, extra: [(String, String)] = []) {
        guard [x1, y1, x2, y2].allSatisfy(\.isFinite) else { return }
        let pairs = [("x1", Self.n(x1)), ("y1", Self.n(y1)), ("x2", Self.n(x2)), ("y2", Self.n(y2)),
                     ("stroke", stroke), ("stroke-width", Self.n(width))]
        body.append("<line\(Self.attributes(pairs + extra))/>")
    }

    /// An open polyline through `points` (non-finite points are dropped).
    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 1.5,
                                  extra: [(String, String)] = []) {
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard finite.count >= 2 else { return }
        let list = finite.map { "\(Self.n($0.x)),\(Self.n($0.y))" }.joined(separator: " ")
        let pairs = [("points", list), ("fill", "none"), ("stroke", stroke), ("stroke-width", Self.n(width)),
                     ("stroke-linejoin", "round")]
        body.append("<polyline\(Self.attributes(pairs + extra))/>")
    }

    /// Disjoint straight segments as one path (`M a L b` per segment), e.g. contour pieces.
    public mutating func segments(_ segments: [(Double, Double, Double, Double)], stroke: String, width: Double,
                                  extra: [(String, String)] = []) {
        let finite = segments.filter { [$0.0, $0.1, $0.2, $0.3].allSatisfy(\.isFinite) }
        guard !finite.isEmpty else { return }
        let data = finite.map { "M\(Self.n($0.0)) \(Self.n($0.1))L\(Self.n($0.2)) \(Self.n($0.3))" }.joined()
        let pairs = [("d", data), ("fill", "none"), ("stroke", stroke), ("stroke-width", Self.n(width)),
                     ("stroke-linecap", "round")]
        body.append("<path\(Self.attributes(pairs + extra))/>")
    }

    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil,
                                strokeWidth: Double = 1, extra: [(String, String)] = []) {
        guard [cx, cy, r].allSatisfy(\.isFinite) else { return }
        var pairs = [("cx", Self.n(cx)), ("cy", Self.n(cy)), ("r", Self.n(r)), ("fill", fill)]
        if let stroke { pairs += [("stroke", stroke), ("stroke-width", Self.n(strokeWidth))] }
        body.append("<circle\(Self.attributes(pairs + extra))/>")
    }

    /// A closed polygon (diamonds, triangles).
    public mutating func polygon(_ points: [(x: Double, y: Double)], fill: String, stroke: String? = nil,
                                 strokeWidth: Double = 1, extra: [(String, String)] = []) {
        guard points.count >= 3, points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else { return }
        let list = points.map { "\(Self.n($0.x)),\(Self.n($0.y))" }.joined(separator: " ")
        var pairs = [("points", list), ("fill", fill)]
        if let stroke { pairs += [("stroke", stroke), ("stroke-width", Self.n(strokeWidth))] }
        body.append("<polygon\(Self.attributes(pairs + extra))/>")
    }

    /// Text at (x, y) (the baseline), optionally rotated about that point by `rotation` degrees.
    public mutating func text(_ content: String, x: Double, y: Double, size: Double = 12,
                              anchor: Anchor = .start, weight: String? = nil, fill: String = "#000",
                              rotation: Double = 0, extra: [(String, String)] = []) {
        guard x.isFinite, y.isFinite else { return }
        var pairs = [("x", Self.n(x)), ("y", Self.n(y)), ("font-size", Self.n(size)),
                     ("text-anchor", anchor.rawValue), ("fill", fill)]
        if let weight { pairs.append(("font-weight", weight)) }
        if rotation != 0 { pairs.append(("transform", "rotate(\(Self.n(rotation)) \(Self.n(x)) \(Self.n(y)))")) }
        body.append("<text\(Self.attributes(pairs + extra))>\(Self.escape(content))</text>")
    }

    /// Opens a group (`<g>`); close it with ``endGroup()``.
    public mutating func beginGroup(_ attributes: [(String, String)]) {
        body.append("<g\(Self.attributes(attributes))>")
    }

    public mutating func endGroup() {
        body.append("</g>")
    }

    /// A `<defs>` clip path with a rectangle, referenced as `clip-path="url(#id)"`.
    public mutating func clipRect(id: String, x: Double, y: Double, width: Double, height: Double) {
        body.append("<defs><clipPath id=\"\(Self.escape(id))\"><rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" "
            + "width=\"\(Self.n(width))\" height=\"\(Self.n(height))\"/></clipPath></defs>")
    }

    /// The whole document, white background, XML declaration first.
    public func render() -> String {
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(Self.n(width))\" "
                + "height=\"\(Self.n(height))\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" "
                + "font-family=\"\(Self.escape(fontFamily))\">",
            "<rect x=\"0\" y=\"0\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" fill=\"#ffffff\"/>",
        ]
        lines += body
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }
}
