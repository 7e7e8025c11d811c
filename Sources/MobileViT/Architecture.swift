import Foundation

/// One point of the MobileViTv2 architecture space: the network's global factors.
///
/// The four global factors of the paper's "4D cube" are the input ``resolution`` r (square
/// images, r x r pixels), the width multiplier ``width`` w, the depth of the inverted-residual
/// (MV2) stages and the depth of the attention (ViT) stages. Depth is kept per stage, exactly as
/// the network is built: ``mv2Depths`` holds the block counts of stages 1 and 2 (base (1, 2)) and
/// ``vitDepths`` the attention-layer counts of stages 3, 4 and 5 (base (2, 4, 3)).
///
/// A value of this type is always valid: every initializer checks the bounds below and throws
/// ``ArchitectureError`` otherwise, and decoding goes through the same checks.
public struct Architecture: Hashable, Sendable {
    /// Input resolution r in pixels (square input); even, within ``resolutionRange``.
    public let resolution: Int
    /// Width multiplier w applied to every stage's channel count; within ``widthRange``.
    public let width: Double
    /// MV2 blocks in stages 1 and 2; each at least 1.
    public let mv2Depths: [Int]
    /// Attention layers in the MobileViTv2 blocks of stages 3, 4 and 5; each at least 1.
    public let vitDepths: [Int]
    /// Number of output classes of the classifier head.
    public let classes: Int

    /// MobileViTv2's base MV2 depths (stages 1 and 2).
    public static let baseMV2Depths = [1, 2]
    /// MobileViTv2's base attention depths (stages 3, 4 and 5).
    public static let baseViTDepths = [2, 4, 3]
    /// Resolutions accepted, in pixels.
    public static let resolutionRange = 32...1024
    /// Width multipliers accepted.
    public static let widthRange = 0.125...4.0
    /// Blocks or layers accepted per stage.
    public static let depthRange = 1...64
    /// Class counts accepted.
    public static let classRange = 1...1_000_000

    /// Creates an architecture from per-stage depths.
    /// - Throws: ``ArchitectureError`` when a factor is out of bounds.
    public init(
        resolution: Int,
        width: Double,
        mv2Depths: [Int] = Architecture.baseMV2Depths,
        vitDepths: [Int] = Architecture.baseViTDepths,
        classes: Int = 1000
    ) throws(ArchitectureError) {
        guard resolution % 2 == 0, Self.resolutionRange.contains(resolution) else {
            throw .resolution(resolution)
        }
        guard width.isFinite, Self.widthRange.contains(width) else { throw .width(width) }
        guard mv2Depths.count == 2 else { throw .stageCount(kind: "MV2", expected: 2, got: mv2Depths.count) }
        guard vitDepths.count == 3 else { throw .stageCount(kind: "attention", expected: 3, got: vitDepths.count) }
        for depth in mv2Depths + vitDepths where !Self.depthRange.contains(depth) {
            throw .depth(depth)
        }
        guard Self.classRange.contains(classes) else { throw .classes(classes) }
        self.resolution = resolution
        self.width = width
        self.mv2Depths = mv2Depths
        self.vitDepths = vitDepths
        self.classes = classes
    }

    /// Creates an architecture whose depths are the base depths scaled by multipliers.
    ///
    /// Stage depth = max(1, round(base x multiplier)), rounding halves away from zero, so
    /// multiplier 1.5 gives MV2 depths (2, 3) and attention depths (3, 6, 5).
    /// - Throws: ``ArchitectureError`` when a factor or multiplier is out of bounds.
    public init(
        resolution: Int,
        width: Double,
        mv2DepthMultiplier: Double,
        vitDepthMultiplier: Double,
        classes: Int = 1000
    ) throws(ArchitectureError) {
        try self.init(
            resolution: resolution,
            width: width,
            mv2Depths: try Self.scaledDepths(Self.baseMV2Depths, by: mv2DepthMultiplier),
            vitDepths: try Self.scaledDepths(Self.baseViTDepths, by: vitDepthMultiplier),
            classes: classes
        )
    }

    /// Base depths scaled by `multiplier`: max(1, round(base x multiplier)) per stage.
    public static func scaledDepths(_ base: [Int], by multiplier: Double) throws(ArchitectureError) -> [Int] {
        guard multiplier.isFinite, multiplier > 0, multiplier <= 16 else { throw .depthMultiplier(multiplier) }
        return base.map { max(1, Int((Double($0) * multiplier).rounded())) }
    }

    /// Total MV2 blocks relative to the base network's 3: the scalar MV2-depth factor.
    public var mv2DepthFactor: Double {
        Double(mv2Depths.reduce(0, +)) / Double(Self.baseMV2Depths.reduce(0, +))
    }

    /// Total attention layers relative to the base network's 9: the scalar ViT-depth factor.
    public var vitDepthFactor: Double {
        Double(vitDepths.reduce(0, +)) / Double(Self.baseViTDepths.reduce(0, +))
    }
}

extension Architecture: Codable {
    private enum CodingKeys: String, CodingKey {
        case resolution, width, mv2Depths = "mv2_depths", vitDepths = "vit_depths", classes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            resolution: try container.decode(Int.self, forKey: .resolution),
            width: try container.decode(Double.self, forKey: .width),
            mv2Depths: try container.decode([Int].self, forKey: .mv2Depths),
            vitDepths: try container.decode([Int].self, forKey: .vitDepths),
            classes: try container.decodeIfPresent(Int.self, forKey: .classes) ?? 1000
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(resolution, forKey: .resolution)
        try container.encode(width, forKey: .width)
        try container.encode(mv2Depths, forKey: .mv2Depths)
        try container.encode(vitDepths, forKey: .vitDepths)
        try container.encode(classes, forKey: .classes)
    }
}

extension Architecture: CustomStringConvertible {
    /// A compact, human-readable form, e.g. `r256 w1.0 mv2(1,2) vit(2,4,3)`.
    public var description: String {
        let depths = { (d: [Int]) in d.map(String.init).joined(separator: ",") }
        let classSuffix = classes == 1000 ? "" : " classes \(classes)"
        return "r\(resolution) w\(formatWidth(width)) mv2(\(depths(mv2Depths))) vit(\(depths(vitDepths)))\(classSuffix)"
    }
}

/// A width multiplier written with as few digits as represent it exactly (up to 4 decimals).
public func formatWidth(_ width: Double) -> String {
    var text = String(format: "%.4f", width)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text += "0" }
    return text
}
