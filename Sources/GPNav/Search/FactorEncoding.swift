import Foundation
import MobileViT

/// Maps an architecture to the Gaussian process's inputs: the four global factors and,
/// optionally, the two joint factors, each scaled to [0, 1] over the search space.
///
/// With r the resolution, w the width multiplier, D_mv2 = (MV2 blocks)/3 and
/// D_vit = (attention layers)/9 the depth factors, and D = (all blocks)/12 the total depth:
///
///     u_r   = log2(r / 256)          u_w   = log2(w)
///     u_mv2 = log2(D_mv2)            u_vit = log2(D_vit)
///     u_rd  = log2(r / 256 * D)      u_rw  = log2(r / 256 * w)      (joint factors)
///
/// and each input is `(u - u_min) / (u_max - u_min)` with the bounds taken over the space's grid.
/// On a log scale a product of factors is a sum, so a joint factor is a direction of the cube
/// along which the ARD kernel can learn its own length scale (the paper's joint factors
/// resolution x depth and resolution x width).
public struct FactorEncoding: Sendable, Hashable {
    /// Names of the inputs in order, for reports.
    public let names: [String]
    /// Whether the joint factors are included.
    public let includesJointFactors: Bool
    private let lower: [Double]
    private let upper: [Double]

    /// The four global factors' names.
    public static let globalFactorNames = ["resolution", "width", "mv2_depth", "vit_depth"]
    /// The joint factors' names.
    public static let jointFactorNames = ["resolution_x_depth", "resolution_x_width"]

    public init(space: SearchSpace, includeJointFactors: Bool = true) {
        includesJointFactors = includeJointFactors
        names = Self.globalFactorNames + (includeJointFactors ? Self.jointFactorNames : [])
        let mv2 = space.mv2DepthMultipliers.compactMap { try? Architecture.scaledDepths(Architecture.baseMV2Depths, by: $0) }
        let vit = space.vitDepthMultipliers.compactMap { try? Architecture.scaledDepths(Architecture.baseViTDepths, by: $0) }
        let raw = { (r: Double, w: Double, m: [Int], v: [Int]) -> [Double] in
            Self.rawFactors(resolution: r, width: w, mv2Depths: m, vitDepths: v, joint: includeJointFactors)
        }
        // Every raw factor is monotone in each grid axis, so its extremes lie at the corners.
        var lower = [Double](repeating: .infinity, count: names.count)
        var upper = [Double](repeating: -.infinity, count: names.count)
        for r in [space.resolutions.first, space.resolutions.last].compactMap({ $0 }) {
            for w in [space.widths.first, space.widths.last].compactMap({ $0 }) {
                for m in mv2 {
                    for v in vit {
                        for (i, u) in raw(Double(r), w, m, v).enumerated() {
                            lower[i] = min(lower[i], u)
                            upper[i] = max(upper[i], u)
                        }
                    }
                }
            }
        }
        self.lower = lower
        self.upper = upper
    }

    /// The GP inputs of `architecture`, each in [0, 1] for architectures inside the space.
    public func encode(_ architecture: Architecture) -> [Double] {
        let raw = Self.rawFactors(resolution: Double(architecture.resolution), width: architecture.width,
                                  mv2Depths: architecture.mv2Depths, vitDepths: architecture.vitDepths,
                                  joint: includesJointFactors)
        return raw.indices.map { i in
            let span = upper[i] - lower[i]
            return span > 0 ? (raw[i] - lower[i]) / span : 0.5
        }
    }

    static func rawFactors(resolution: Double, width: Double, mv2Depths: [Int], vitDepths: [Int],
                           joint: Bool) -> [Double] {
        let r = log2(resolution / 256)
        let w = log2(width)
        let mv2Blocks = Double(mv2Depths.reduce(0, +))
        let vitLayers = Double(vitDepths.reduce(0, +))
        let base = [
            r, w,
            log2(mv2Blocks / Double(Architecture.baseMV2Depths.reduce(0, +))),
            log2(vitLayers / Double(Architecture.baseViTDepths.reduce(0, +))),
        ]
        guard joint else { return base }
        let baseBlocks = Double((Architecture.baseMV2Depths + Architecture.baseViTDepths).reduce(0, +))
        return base + [r + log2((mv2Blocks + vitLayers) / baseBlocks), r + w]
    }
}
