import MobileViT

/// One model of a downsizing chain.
public struct DownsizingStep: Sendable, Hashable {
    /// 0 for the starting model, then 1, 2, ...
    public var step: Int
    public var architecture: Architecture
    public var cost: Cost
    /// The shares the step used to split its reduction (nil for the starting model).
    public var exponents: FactorExponents?
    /// Whether the shares came from a fitted GP rather than the defaults.
    public var guidedByModel: Bool
    /// GP predicted accuracy (%) and its standard deviation, when a model was available.
    public var predictedAccuracy: Double?
    public var predictedStd: Double?

    public init(step: Int, architecture: Architecture, cost: Cost, exponents: FactorExponents?,
                guidedByModel: Bool, predictedAccuracy: Double? = nil, predictedStd: Double? = nil) {
        self.step = step
        self.architecture = architecture
        self.cost = cost
        self.exponents = exponents
        self.guidedByModel = guidedByModel
        self.predictedAccuracy = predictedAccuracy
        self.predictedStd = predictedStd
    }
}
