/// How one downsizing step shares its MACs reduction among the four global factors.
///
/// The shares are non-negative and sum to 1: factor j gives up the fraction `share_j` of the
/// step's log-MACs reduction (see ``DownsizingEngine``).
public struct FactorExponents: Sendable, Hashable, Codable {
    public var resolution: Double
    public var width: Double
    public var mv2Depth: Double
    public var vitDepth: Double

    public init(resolution: Double, width: Double, mv2Depth: Double, vitDepth: Double) {
        self.resolution = resolution
        self.width = width
        self.mv2Depth = mv2Depth
        self.vitDepth = vitDepth
    }

    init(_ values: [Double]) {
        self.init(resolution: values[0], width: values[1], mv2Depth: values[2], vitDepth: values[3])
    }

    /// The shares in factor order: resolution, width, MV2 depth, attention depth.
    public var values: [Double] { [resolution, width, mv2Depth, vitDepth] }

    /// The shares used before any accuracy has been observed: width and resolution carry most
    /// of the reduction (each costs MACs quadratically), attention depth some, MV2 depth little
    /// (the two MV2 stages hold few MACs at low resolution cost of accuracy).
    public static let `default` = FactorExponents(resolution: 0.35, width: 0.45, mv2Depth: 0.05, vitDepth: 0.15)

    /// The same shares rescaled to sum to 1 over the factors where `available` is true
    /// (a factor already at the bottom of its grid can give nothing).
    func normalized(available: [Bool]) -> FactorExponents? {
        let kept = zip(values, available).map { $1 ? max($0, 0) : 0 }
        let total = kept.reduce(0, +)
        guard total > 0 else { return nil }
        return FactorExponents(kept.map { $0 / total })
    }

    private enum CodingKeys: String, CodingKey {
        case resolution, width, mv2Depth = "mv2_depth", vitDepth = "vit_depth"
    }
}
