import Foundation

/// A device's latency as a power of MACs, fitted to its measurements: what stands in for the
/// ``LatencyModel`` while the device has too few measurements for it.
///
/// log latency = a + b log MACs, by least squares over the measurements, with b kept within
/// ``slopeRange``; b is 1 (latency proportional to MACs, a the mean log ratio) when the MACs
/// measured span less than a factor of ``minimumSpan``, where a slope would be noise. Why a power
/// and not one ratio: a forward pass has fixed costs, so small networks take more milliseconds per
/// MAC than large ones. Over the 56 measurements of the latency searches of 2026-12-07 (74 M to
/// 1.85 G MACs, Experiments/latency/RESULTS.md) one median ratio predicted each held-out
/// measurement with a root-mean-square relative error of 22 to 30 %, the power with 6 to 8 %
/// (fitted slopes 0.81 and 0.82).
///
/// The estimate's spread is learned from the measurements: the root-mean-square relative error
/// of the estimate at each measurement held out in turn (the fit made without it), once there are
/// ``minimumForLearnedSpread``; never below the measurements' own median relative spread (an
/// estimate is no surer than one reading of what it estimates); ``assumedRelativeSpread`` of the
/// estimate before that.
struct PowerLawLatencyEstimate: Sendable, Hashable {
    /// One measured architecture: its MACs and measured median.
    struct Point: Sendable, Hashable {
        var macs: Double
        var latencyMs: Double
    }

    /// The relative spread before the spread can be learned: on the reference CPU one median
    /// milliseconds per MAC missed by 22 to 30 % (RMS), and 83 architectures ran at 23.4 to 48.3 ms
    /// per G MACs, a factor of 2 that a standard deviation of a quarter covers at about +/-1.5 sigma.
    static let assumedRelativeSpread = 0.25
    /// Measurements needed to learn the spread: each held out leaves at least 3 to fit.
    static let minimumForLearnedSpread = 4
    /// The least ratio of largest to smallest MACs measured for a slope to be fitted.
    static let minimumSpan = 1.5
    /// Slopes allowed: latency grows with MACs, and no faster than about as fast (the fitted slopes
    /// here were 0.62 to 1.00 within one budget's range of MACs); the bounds keep a fit of two or
    /// three noisy readings close together from extrapolating wildly.
    static let slopeRange = 0.25...1.25

    /// a and b of log latency = a + b log MACs.
    let intercept: Double
    let slope: Double
    /// The estimate's standard deviation as a share of the estimate.
    let relativeSpread: Double

    /// The estimate fitted to `points` (those with MACs and latency above 0), with the spread
    /// floored at `readingRelativeSpread`, the readings' own median spread over their median.
    /// Nil without any such point.
    init?(points: [Point], readingRelativeSpread: Double) {
        let usable = points.filter { $0.macs > 0 && $0.latencyMs > 0 && $0.latencyMs.isFinite }
        guard let fitted = Self.fit(usable) else { return nil }
        intercept = fitted.intercept
        slope = fitted.slope
        guard usable.count >= Self.minimumForLearnedSpread else {
            relativeSpread = max(Self.assumedRelativeSpread, readingRelativeSpread)
            return
        }
        var squares = 0.0
        for index in usable.indices {
            var others = usable
            let heldOut = others.remove(at: index)
            guard let fit = Self.fit(others) else { continue }
            let error = exp(fit.intercept + fit.slope * log(heldOut.macs)) / heldOut.latencyMs - 1
            squares += error * error
        }
        relativeSpread = max((squares / Double(usable.count)).squareRoot(), readingRelativeSpread)
    }

    /// The latency estimated for `macs` MACs, with its spread; nil for no MACs.
    func prediction(macs: Int) -> LatencyPrediction? {
        guard macs > 0 else { return nil }
        let latency = exp(intercept + slope * log(Double(macs)))
        return LatencyPrediction(latencyMs: latency, spreadMs: relativeSpread * latency)
    }

    /// (a, b) by least squares on the logs, b clamped to ``slopeRange`` (a refitted for it), or 1
    /// when the MACs span too little; nil without points.
    private static func fit(_ points: [Point]) -> (intercept: Double, slope: Double)? {
        guard !points.isEmpty else { return nil }
        let xs = points.map { log($0.macs) }
        let ys = points.map { log($0.latencyMs) }
        let count = Double(points.count)
        let meanX = xs.reduce(0, +) / count
        let meanY = ys.reduce(0, +) / count
        var slope = 1.0
        if let low = xs.min(), let high = xs.max(), high - low >= log(minimumSpan) {
            let covariance = zip(xs, ys).reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
            let variance = xs.reduce(0) { $0 + ($1 - meanX) * ($1 - meanX) }
            slope = min(max(covariance / variance, slopeRange.lowerBound), slopeRange.upperBound)
        }
        return (meanY - slope * meanX, slope)
    }
}
