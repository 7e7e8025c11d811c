/// Predictive means and standard deviations, one per query point, in the targets' units.
public struct Prediction: Sendable, Equatable {
    public var mean: [Double]
    public var standardDeviation: [Double]

    public init(mean: [Double], standardDeviation: [Double]) {
        self.mean = mean
        self.standardDeviation = standardDeviation
    }
}
