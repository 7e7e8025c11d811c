import Foundation
import MobileViT

/// A latency model of one family on one ``LatencyTarget``: the measured median latency as a
/// non-negative combination of ``LatencyFeatures`` (a constant, MACs per stage, output elements,
/// inverted residuals, attention layers and parameters), fitted to that target's measurements only by their
/// relative error, robust to outlying readings (``RelativeLatencyFit``). Non-negative, because no
/// term of a network's work makes it faster.
///
/// Its accuracy is measured by leave-one-out cross-validation: each measured architecture is
/// predicted by the model fitted to all the others (``accuracy``). Its predictions carry that
/// cross-validated spread: the root mean square of the held-out relative errors, times the
/// prediction (``LatencyPrediction``).
public struct LatencyModel: Sendable {
    /// The terms the model reads.
    public let features: LatencyFeatures
    public let target: LatencyTarget
    /// One coefficient per term of ``features`` (milliseconds per unit), each >= 0.
    public let coefficients: [Double]
    /// How well it predicts architectures it was not fitted to.
    public let accuracy: LatencyModelAccuracy

    /// The fewest measurements fitted on, beyond the number of terms: with fewer the held-out
    /// errors say little about the next architecture.
    public static let extraMeasurements = 2

    /// The fewest measurements a model of `features` needs.
    public static func minimumMeasurements(for features: LatencyFeatures) -> Int {
        features.names.count + extraMeasurements
    }

    /// Fits the model of `family` to the measurements of `measurements` on `target` (any other
    /// target's, or another family's, are left out), one per architecture.
    /// - Throws: ``LatencyModelError/tooFewMeasurements(family:target:have:need:)``, or
    ///   ``LatencyModelError/fitFailed(_:)``.
    public init(family: any ArchitectureFamily, target: LatencyTarget,
                measurements: [LatencyMeasurement]) throws(LatencyModelError) {
        let features: LatencyFeatures
        do { features = try LatencyFeatures(family: family) } catch { throw .fitFailed(error.description) }
        var rows: [[Double]] = []
        var latencies: [Double] = []
        var seen = Set<Architecture>()
        // The newest measurement of an architecture counts (the store keeps one; a list may repeat).
        for measurement in measurements.reversed() where measurement.target == target && !seen.contains(measurement.architecture) {
            guard let values = features.values(of: measurement.architecture) else { continue }
            seen.insert(measurement.architecture)
            rows.append(values)
            latencies.append(measurement.latencyMs)
        }
        let need = Self.minimumMeasurements(for: features)
        guard rows.count >= need else {
            throw .tooFewMeasurements(family: family.name, target: target.text, have: rows.count, need: need)
        }
        let fit = try RelativeLatencyFit(rows: rows, latencies: latencies)
        var errors: [Double] = []
        for held in rows.indices {
            var others = rows
            var othersLatency = latencies
            var othersWeights = fit.weights
            others.remove(at: held)
            othersLatency.remove(at: held)
            othersWeights.remove(at: held)
            let coefficients = try RelativeLatencyFit(rows: others, latencies: othersLatency,
                                                      startingWeights: othersWeights).coefficients
            let predicted = RelativeLatencyFit.dot(coefficients, rows[held])
            errors.append((predicted - latencies[held]) / latencies[held])
        }
        self.features = features
        self.target = target
        coefficients = fit.coefficients
        accuracy = LatencyModelAccuracy(relativeErrors: errors)
    }

    /// The predicted median latency of `architecture` on the model's target, with its spread.
    /// - Throws: ``LatencyModelError/otherFamily(_:)`` for an architecture of another family.
    public func predict(_ architecture: Architecture) throws(LatencyModelError) -> LatencyPrediction {
        guard let values = features.values(of: architecture) else { throw .otherFamily(architecture.familyName) }
        return prediction(values: values)
    }

    /// The prediction for an architecture whose terms (``LatencyFeatures/values(of:)``) are `values`.
    func prediction(values: [Double]) -> LatencyPrediction {
        let latency = RelativeLatencyFit.dot(coefficients, values)
        return LatencyPrediction(latencyMs: latency, spreadMs: latency * accuracy.rootMeanSquareRelativeError)
    }
}

/// A latency predicted by a ``LatencyModel``, not measured: the median in milliseconds and its
/// spread (the model's cross-validated root mean square relative error times the prediction).
public struct LatencyPrediction: Sendable, Hashable {
    public var latencyMs: Double
    public var spreadMs: Double

    /// Whether the prediction is over `budgetMs` by more than `spreads` spreads: a candidate the
    /// search need not measure.
    public func isClearlyOver(_ budgetMs: Double, spreads: Double = 2) -> Bool {
        latencyMs - spreads * spreadMs > budgetMs
    }
}

/// How a ``LatencyModel`` predicted the architectures held out of its fit (leave-one-out).
public struct LatencyModelAccuracy: Sendable, Hashable {
    /// Held-out architectures (each measured one, once).
    public let heldOut: Int
    /// Those predicted within +/-10 % of their measured median.
    public let withinTenPercent: Int
    /// sqrt(mean((predicted - measured) / measured)^2) over the held-out architectures.
    public let rootMeanSquareRelativeError: Double

    init(relativeErrors: [Double]) {
        heldOut = relativeErrors.count
        withinTenPercent = relativeErrors.filter { abs($0) <= 0.1 }.count
        let meanSquare = relativeErrors.reduce(0) { $0 + $1 * $1 } / Double(max(1, relativeErrors.count))
        rootMeanSquareRelativeError = meanSquare.squareRoot()
    }

    /// The share of held-out architectures within +/-10 %, in percent.
    public var percentWithinTenPercent: Double {
        heldOut == 0 ? 0 : 100 * Double(withinTenPercent) / Double(heldOut)
    }
}
