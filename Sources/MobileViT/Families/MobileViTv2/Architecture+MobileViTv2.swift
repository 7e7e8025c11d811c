/// MobileViTv2's architectures by their per-stage depths, and its depth groups by name.
extension Architecture {
    /// Creates a MobileViTv2 from per-stage depths: `mv2Depths` for stages 1 and 2,
    /// `vitDepths` (attention layers) for stages 3, 4 and 5.
    /// - Throws: ``ArchitectureError`` when a factor is out of bounds.
    public init(
        resolution: Int,
        width: Double,
        mv2Depths: [Int] = MobileViTv2Family.baseMV2Depths,
        vitDepths: [Int] = MobileViTv2Family.baseViTDepths,
        classes: Int = 1000
    ) throws(ArchitectureError) {
        try self.init(family: MobileViTv2Family(), resolution: resolution, width: width,
                      depths: ["mv2_depths": mv2Depths, "vit_depths": vitDepths], classes: classes)
    }

    /// Creates a MobileViTv2 whose depths are the base depths scaled by multipliers.
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
            mv2Depths: try Self.scaledDepths(MobileViTv2Family.baseMV2Depths, by: mv2DepthMultiplier),
            vitDepths: try Self.scaledDepths(MobileViTv2Family.baseViTDepths, by: vitDepthMultiplier),
            classes: classes
        )
    }

    /// The `mv2_depths` group (MobileViTv2's MV2 blocks of stages 1 and 2); empty for a family
    /// without one.
    public var mv2Depths: [Int] { depths(named: "mv2_depths") ?? [] }

    /// The `vit_depths` group (MobileViTv2's attention layers of stages 3, 4 and 5); empty for a
    /// family without one.
    public var vitDepths: [Int] { depths(named: "vit_depths") ?? [] }
}
