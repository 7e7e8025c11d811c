import GPNav
import MobileViT

/// MobileViTv2's axes by name, as the benchmark tests read them.
extension SearchSpace {
    var resolutions: [Int] { grids[0].map { Int($0) } }
    var widths: [Double] { grids[1] }
    var mv2DepthMultipliers: [Double] { grids[2] }
    var vitDepthMultipliers: [Double] { grids[3] }
}

/// MobileViTv2's factor names, as the GP and the analysis name them.
enum MobileViTv2Names {
    static let factors = ["resolution", "width", "mv2_depth", "vit_depth"]
}
