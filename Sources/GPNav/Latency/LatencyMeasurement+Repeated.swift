import Foundation

extension LatencyMeasurement {
    /// One measurement of several readings of the same architecture on the same target, taken one
    /// after another: the median of their medians, and a spread that says how far a fresh reading
    /// may fall from that median: `first` itself when there are no `more`.
    ///
    /// The admission margin (``LatencyBudget/admits(_:)``) protects against a fresh reading landing
    /// over the budget. With one reading, a fresh one differs from it by the difference of two
    /// readings, of variance 2 sigma^2; from the median of n readings by sigma^2 (1 + v_n), where
    /// v_n sigma^2 is the variance of that median (``medianVariance(readings:)``). The spread is
    /// therefore the readings' median spread times sqrt((1 + v_n) / 2) (0.87 for two readings, 0.85
    /// for three), so that the margin of k spreads gives a repeated reading the protection it gives
    /// one reading; but never less than the range of the readings' medians, so that readings that
    /// disagree more than their spreads said widen the margin instead of narrowing it.
    /// The CPU time is the median of the readings' (when each has one), the time and load the last's.
    public static func repeated(_ first: LatencyMeasurement, _ more: [LatencyMeasurement]) -> LatencyMeasurement {
        let readings = [first] + more
        var combined = readings[readings.count - 1]
        guard readings.count > 1 else { return combined }
        let medians = readings.map(\.latencyMs)
        let shrink = ((1 + medianVariance(readings: readings.count)) / 2).squareRoot()
        let range = (medians.max() ?? 0) - (medians.min() ?? 0)
        combined.latencyMs = medians.median
        combined.spreadMs = max(readings.map(\.spreadMs).median * shrink, range)
        let cpu = readings.compactMap(\.cpuMs)
        combined.cpuMs = cpu.count == readings.count ? cpu.median : nil
        return combined
    }

    /// The variance of the median of `readings` independent standard normal readings: 1 for one,
    /// 1/2 for two (their mean), 0.4487 for three (integral of x^2 6 phi(x) Phi(x) (1 - Phi(x)), the
    /// density of the middle of three), and the large-sample pi / (2 n) beyond, which is above the
    /// exact values there and so narrows the margin less than it could.
    static func medianVariance(readings: Int) -> Double {
        switch readings {
        case ...1: 1
        case 2: 0.5
        case 3: 0.4487
        default: Double.pi / (2 * Double(readings))
        }
    }
}
