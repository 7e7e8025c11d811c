/// One MobileViT v1 network (Mehta & Rastegari, 2022; ml-cvnets' `mobilevit`): its global factors.
///
/// The network: a 3x3 stride-2 stem; stage 1 of MV2 blocks (stride 1) and stage 2 (stride 2);
/// stages 3 to 5, each one stride-2 MV2 block and a MobileViT block with transformer layers; a
/// 1x1 conv and a linear classifier. The factors are the input ``resolution``, the ``basePlan``
/// and the ``width`` multiplier that scales it (see ``MobileViTv1Widths`` for the rounding), the
/// MV2 depths of stages 1 and 2 (``mv2Depths``, published (1, 3)), the transformer depths of
/// stages 3 to 5 (``transformerDepths``, published (2, 4, 3)), the MV2 ``expansion`` ratio of
/// every MV2 block (2 or 4) and the ``classes``.
///
/// A value is always valid: the initializer and decoding check every factor and throw
/// ``MobileViTv1Error`` otherwise.
public struct MobileViTv1Network: Hashable, Sendable {
    /// Input resolution r in pixels (square input); even, within ``resolutionRange``.
    public let resolution: Int
    /// The published model whose widths ``width`` scales.
    public let basePlan: MobileViTv1BasePlan
    /// Width multiplier on every width of ``basePlan``; within ``widthRange``.
    public let width: Double
    /// MV2 blocks in stages 1 and 2.
    public let mv2Depths: [Int]
    /// Transformer layers in the MobileViT blocks of stages 3, 4 and 5.
    public let transformerDepths: [Int]
    /// Expansion ratio of every MV2 block (hidden width / input width, before rounding): 2 or 4.
    public let expansion: Int
    /// Number of output classes of the classifier.
    public let classes: Int

    /// The published MV2 depths of stages 1 and 2.
    public static let baseMV2Depths = [1, 3]
    /// The published transformer depths of stages 3, 4 and 5.
    public static let baseTransformerDepths = [2, 4, 3]
    /// Resolutions accepted, in pixels.
    public static let resolutionRange = 32...1024
    /// Width multipliers accepted.
    public static let widthRange = 0.125...4.0
    /// Blocks or transformer layers accepted per stage.
    public static let depthRange = 1...64
    /// MV2 expansion ratios accepted (XXS uses 2, XS and S use 4).
    public static let expansions = [2, 4]
    /// Class counts accepted.
    public static let classRange = 1...1_000_000

    /// Creates a network from its factors.
    /// - Throws: ``MobileViTv1Error`` when a factor is out of bounds.
    public init(
        resolution: Int,
        basePlan: MobileViTv1BasePlan,
        width: Double = 1.0,
        mv2Depths: [Int] = MobileViTv1Network.baseMV2Depths,
        transformerDepths: [Int] = MobileViTv1Network.baseTransformerDepths,
        expansion: Int,
        classes: Int = 1000
    ) throws(MobileViTv1Error) {
        guard resolution % 2 == 0, Self.resolutionRange.contains(resolution) else { throw .resolution(resolution) }
        guard width.isFinite, Self.widthRange.contains(width) else { throw .width(width) }
        guard mv2Depths.count == 2 else { throw .stageCount(kind: "MV2", expected: 2, got: mv2Depths.count) }
        guard transformerDepths.count == 3 else {
            throw .stageCount(kind: "transformer", expected: 3, got: transformerDepths.count)
        }
        for depth in mv2Depths + transformerDepths where !Self.depthRange.contains(depth) {
            throw .depth(depth)
        }
        guard Self.expansions.contains(expansion) else { throw .expansion(expansion) }
        guard Self.classRange.contains(classes) else { throw .classes(classes) }
        self.resolution = resolution
        self.basePlan = basePlan
        self.width = width
        self.mv2Depths = mv2Depths
        self.transformerDepths = transformerDepths
        self.expansion = expansion
        self.classes = classes
    }
}

extension MobileViTv1Network: Codable {
    private enum CodingKeys: String, CodingKey {
        case resolution, basePlan = "base_plan", width, mv2Depths = "mv2_depths"
        case transformerDepths = "transformer_depths", expansion, classes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            resolution: try container.decode(Int.self, forKey: .resolution),
            basePlan: try container.decode(MobileViTv1BasePlan.self, forKey: .basePlan),
            width: try container.decode(Double.self, forKey: .width),
            mv2Depths: try container.decode([Int].self, forKey: .mv2Depths),
            transformerDepths: try container.decode([Int].self, forKey: .transformerDepths),
            expansion: try container.decode(Int.self, forKey: .expansion),
            classes: try container.decodeIfPresent(Int.self, forKey: .classes) ?? 1000
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(resolution, forKey: .resolution)
        try container.encode(basePlan, forKey: .basePlan)
        try container.encode(width, forKey: .width)
        try container.encode(mv2Depths, forKey: .mv2Depths)
        try container.encode(transformerDepths, forKey: .transformerDepths)
        try container.encode(expansion, forKey: .expansion)
        try container.encode(classes, forKey: .classes)
    }
}

extension MobileViTv1Network: CustomStringConvertible {
    /// A compact, human-readable form, e.g. `r256 xs w1.0 mv2(1,3) vit(2,4,3) e4`.
    public var description: String {
        let depths = { (d: [Int]) in d.map(String.init).joined(separator: ",") }
        let classSuffix = classes == 1000 ? "" : " classes \(classes)"
        return "r\(resolution) \(basePlan.rawValue) w\(formatWidth(width)) mv2(\(depths(mv2Depths))) "
            + "vit(\(depths(transformerDepths))) e\(expansion)\(classSuffix)"
    }
}
