import GPNav
import MobileViT

/// MobileViTv2's four axes by name, so that tests written against the 4D cube read as before.
extension SearchSpace {
    init(resolutions: [Int], widths: [Double], mv2DepthMultipliers: [Double], vitDepthMultipliers: [Double],
         classes: Int = 1000) {
        self.init(family: MobileViTv2Family(),
                  grids: [resolutions.map(Double.init), widths, mv2DepthMultipliers, vitDepthMultipliers], classes: classes)
    }

    var resolutions: [Int] {
        get { grids[0].map { Int($0) } }
        set { grids[0] = newValue.map(Double.init) }
    }

    var widths: [Double] {
        get { grids[1] }
        set { grids[1] = newValue }
    }

    var mv2DepthMultipliers: [Double] {
        get { grids[2] }
        set { grids[2] = newValue }
    }

    var vitDepthMultipliers: [Double] {
        get { grids[3] }
        set { grids[3] = newValue }
    }
}

extension GridPoint {
    init(resolution: Int, width: Int, mv2Depth: Int, vitDepth: Int) {
        self.init([resolution, width, mv2Depth, vitDepth])
    }
}

extension CubeFactor {
    static let mv2Depth = CubeFactor(rawValue: "mv2-depth") ?? .resolution
    static let vitDepth = CubeFactor(rawValue: "vit-depth") ?? .width
}

extension FactorExponents {
    /// MobileViTv2's default shares.
    static var `default`: FactorExponents { .defaults(for: SearchSpace(family: MobileViTv2Family())) }
    var width: Double { self["width"] ?? .nan }
    var mv2Depth: Double { self["mv2_depth"] ?? .nan }
    var resolution: Double { self["resolution"] ?? .nan }
}

extension Architecture {
    /// Total MV2 blocks relative to the base network's 3.
    var mv2DepthFactor: Double { Double(mv2Depths.reduce(0, +)) / 3 }
    /// Total attention layers relative to the base network's 9.
    var vitDepthFactor: Double { Double(vitDepths.reduce(0, +)) / 9 }
}

extension FactorEncoding {
    static let globalFactorNames = ["resolution", "width", "mv2_depth", "vit_depth"]
}
