import Foundation

/// One axis of a plot: a map from data values to pixels, and "nice" tick positions.
///
/// Linear: `pixel = p0 + (v - d0) / (d1 - d0) * (p1 - p0)`. Log10: the same in `log10(v)`.
/// A reversed pixel range (p1 < p0) draws y axes upwards.
public struct PlotAxis: Sendable {
    public enum Scale: Sendable { case linear, log10 }

    /// One tick: its data value and label.
    public struct Tick: Sendable, Equatable {
        public var value: Double
        public var label: String
    }

    public let scale: Scale
    /// Data interval (d0, d1), d0 < d1; for log10 both positive.
    public let lower: Double
    public let upper: Double
    /// Pixel positions of d0 and d1.
    public let start: Double
    public let end: Double

    /// An axis over [lower, upper]; an empty or bad interval widens to a unit (or one-decade) span
    /// around its value, so a plot of one point still has an axis.
    public init(scale: Scale, lower: Double, upper: Double, start: Double, end: Double) {
        self.scale = scale
        self.start = start
        self.end = end
        var lo = lower, hi = upper
        if scale == .log10 {
            if !(lo > 0) || !lo.isFinite { lo = hi > 0 && hi.isFinite ? hi / 10 : 1 }
            if !(hi > 0) || !hi.isFinite { hi = lo * 10 }
            if hi <= lo { (lo, hi) = (lo / sqrt(10), lo * sqrt(10)) }
        } else {
            if !lo.isFinite { lo = hi.isFinite ? hi - 1 : 0 }
            if !hi.isFinite { hi = lo + 1 }
            if hi <= lo { (lo, hi) = (lo - 0.5, lo + 0.5) }
        }
        self.lower = lo
        self.upper = hi
    }

    private func transformed(_ value: Double) -> Double {
        scale == .log10 ? Foundation.log10(value) : value
    }

    /// The pixel position of `value` (may lie outside the pixel range; NaN for log10 of v <= 0).
    public func pixel(_ value: Double) -> Double {
        let t0 = transformed(lower), t1 = transformed(upper)
        return start + (transformed(value) - t0) / (t1 - t0) * (end - start)
    }

    /// Whether `value` lies within the data interval (with a small tolerance).
    public func contains(_ value: Double) -> Bool {
        let slack = (transformed(upper) - transformed(lower)) * 1e-9
        let t = transformed(value)
        return t >= transformed(lower) - slack && t <= transformed(upper) + slack
    }

    /// Ticks inside the interval: for linear axes about `target` multiples of 1, 2 or 5 x 10^k;
    /// for log10 axes the powers of ten, with 2x and 5x between them when the span is under
    /// two decades (and every integer multiple under half a decade).
    public func ticks(target: Int = 6, format: ((Double) -> String)? = nil) -> [Tick] {
        let values: [Double]
        switch scale {
        case .linear:
            let step = Self.niceStep((upper - lower) / Double(max(1, target)))
            let first = (lower / step).rounded(.up)
            let last = (upper / step).rounded(.down)
            values = first <= last ? stride(from: first, through: last, by: 1).map { $0 * step } : []
            let decimals = max(0, -Int(Foundation.log10(step).rounded(.down)))
            return values.map { Tick(value: $0, label: format?($0) ?? SVGDocument.number($0, decimals: decimals)) }
        case .log10:
            let span = Foundation.log10(upper) - Foundation.log10(lower)
            let multiples: [Double] = span < 0.7 ? Array(1...9).map(Double.init) : span < 2 ? [1, 2, 5] : [1]
            var found: [Double] = []
            let firstDecade = Int(Foundation.log10(lower).rounded(.down))
            let lastDecade = Int(Foundation.log10(upper).rounded(.up))
            for decade in firstDecade...max(firstDecade, lastDecade) {
                for multiple in multiples {
                    let value = multiple * pow(10, Double(decade))
                    if contains(value) { found.append(value) }
                }
            }
            values = found
            return values.map { Tick(value: $0, label: format?($0) ?? SVGDocument.number($0, decimals: 3)) }
        }
    }

    /// The smallest of 1, 2, 5 (times a power of ten) at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, Foundation.log10(raw).rounded(.down))
        for multiple in [1.0, 2, 5, 10] where multiple * magnitude >= raw * (1 - 1e-9) {
            return multiple * magnitude
        }
        return 10 * magnitude
    }
}
