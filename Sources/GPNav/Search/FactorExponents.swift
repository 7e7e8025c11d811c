/// How one downsizing step shares its MACs reduction among a family's global factors.
///
/// The shares are non-negative and sum to 1: factor j gives up the fraction `share_j` of the
/// step's log-MACs reduction (see ``DownsizingEngine``). JSON: one key per factor name.
public struct FactorExponents: Sendable, Hashable, Encodable {
    /// The factors' names, in the family's order.
    public let factors: [String]
    /// The shares in factor order.
    public let values: [Double]

    /// Shares `values` of the factors called `factors`.
    public init(factors: [String], values: [Double]) {
        self.factors = factors
        self.values = values
    }

    /// The share of the factor called `name`; nil when there is no such factor.
    public subscript(name: String) -> Double? {
        factors.firstIndex(of: name).map { values[$0] }
    }

    /// The shares used before any accuracy has been observed: each factor's
    /// ``MobileViT/ArchitectureFactor/defaultShare``.
    public static func defaults(for space: SearchSpace) -> FactorExponents {
        FactorExponents(factors: space.factors.map(\.name), values: space.factors.map(\.defaultShare))
    }

    /// The same shares rescaled to sum to 1 over the factors where `available` is true
    /// (a factor already at the bottom of its grid can give nothing).
    func normalized(available: [Bool]) -> FactorExponents? {
        let kept = zip(values, available).map { $1 ? max($0, 0) : 0 }
        let total = kept.reduce(0, +)
        guard total > 0 else { return nil }
        return FactorExponents(factors: factors, values: kept.map { $0 / total })
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in zip(factors, values) {
            try container.encode(value, forKey: Key(stringValue: name))
        }
    }
}
