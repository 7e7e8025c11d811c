import Foundation
import MobileViT

/// A quantity on an axis of a two-objective front (``ObjectiveFrontPlot``): a trial's own
/// accuracy, MACs or parameters, the epochs it trained (``EpochAccount/epochsTrained(_:curve:epochs:)``)
/// or its measured latency (the `latency_ms` metric of a study searched under a latency budget).
public enum FrontObjective: String, CaseIterable, Sendable {
    case accuracy, macs, params, epochs, latency

    /// Accuracy is maximised; everything else costs, and is minimised.
    public var direction: Objective.Direction { self == .accuracy ? .max : .min }

    /// The names, for messages.
    public static var knownNames: [String] { allCases.map(\.rawValue) }

    /// MACs and parameters span decades: log axes; the rest are linear.
    var scale: PlotAxis.Scale { self == .macs || self == .params ? .log10 : .linear }

    /// The axis title; `unit` is the tick labels' shared prefix (k, M, G) on a log axis, and
    /// `accuracy` says which accuracy an accuracy axis holds.
    func axisTitle(unit: String, accuracy: PlottedAccuracy = .float) -> String {
        switch self {
        case .accuracy: accuracy.axisTitle
        case .macs: "multiply-accumulates per image (\(unit) MACs, log scale)"
        case .params: "parameters (\(unit), log scale)"
        case .epochs: "epochs trained"
        case .latency: "measured latency (ms)"
        }
    }

    /// A value with its unit, for a label: `40 ms`, `300M MACs`.
    func valueText(_ value: Double) -> String {
        switch self {
        case .accuracy: SVGDocument.number(value, decimals: 2) + " %"
        case .macs: Quantity.formatCount(Int(value.rounded())) + " MACs"
        case .params: Quantity.formatCount(Int(value.rounded())) + " params"
        case .epochs: SVGDocument.number(value, decimals: 0) + " epochs"
        case .latency: SVGDocument.number(value, decimals: value.rounded() == value ? 0 : 2) + " ms"
        }
    }

    /// What a trial lacks when it has no value, in words.
    var missingWords: String {
        switch self {
        case .accuracy: "an accuracy"
        case .macs: "a MACs count"
        case .params: "a parameter count"
        case .epochs: "a known number of epochs trained"
        case .latency: "a measured latency"
        }
    }

    /// The trial's value: nil when it has none (no latency measured, epochs unknown) or it is not finite.
    /// - Parameters:
    ///   - curve: the trial's intermediate reports, in epoch order.
    ///   - epochs: the study's full training length, nil when it sets none.
    public func value(of trial: Trial, curve: [EpochReport], epochs: Int?) -> Double? {
        let value: Double? = switch self {
        case .accuracy: trial.accuracy
        case .macs: Double(trial.macs)
        case .params: Double(trial.params)
        case .epochs: EpochAccount.epochsTrained(trial, curve: curve, epochs: epochs).map(Double.init)
        case .latency: trial.metrics[StudySession.latencyMetric]
        }
        return value.flatMap { $0.isFinite ? $0 : nil }
    }
}
