/// Box bounds on a kernel's hyperparameters, in their natural units (the optimiser works on
/// their logarithms). The defaults are scikit-learn's: 1e-5 ... 1e5 for each.
public struct KernelBounds: Sendable, Equatable {
    public var signalVariance: ClosedRange<Double>
    /// Shared by every input dimension.
    public var lengthScale: ClosedRange<Double>
    public var noiseVariance: ClosedRange<Double>

    public init(
        signalVariance: ClosedRange<Double> = 1e-5...1e5,
        lengthScale: ClosedRange<Double> = 1e-5...1e5,
        noiseVariance: ClosedRange<Double> = 1e-5...1e5
    ) {
        self.signalVariance = signalVariance
        self.lengthScale = lengthScale
        self.noiseVariance = noiseVariance
    }
}
