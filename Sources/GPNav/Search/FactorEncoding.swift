import Foundation
import MobileViT

/// Maps an architecture to the Gaussian process's inputs: the family's global factors and,
/// optionally, the two joint factors, each scaled to [0, 1] over the search space.
///
/// Each factor f with reference f_0 (``ArchitectureFactor/reference``) gives u_f = log2(f / f_0),
/// with f its value in the architecture (``ArchitectureFactor/value(of:)``): for MobileViTv2
/// u_r = log2(r / 256), u_w = log2(w), u_mv2 = log2(D_mv2) and u_vit = log2(D_vit), with
/// D_mv2 = (MV2 blocks)/3 and D_vit = (attention layers)/9. With D the total depth (all blocks of
/// every depth group over the base network's, ``MobileViT/Architecture/totalDepthFactor``):
///
///     u_rd  = u_r + log2(D)          u_rw  = u_r + u_w              (joint factors)
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
    private let factors: [ArchitectureFactor]
    private let lower: [Double]
    private let upper: [Double]

    /// The joint factors' names.
    public static let jointFactorNames = ["resolution_x_depth", "resolution_x_width"]

    public init(space: SearchSpace, includeJointFactors: Bool = true) {
        includesJointFactors = includeJointFactors
        factors = space.factors
        names = factors.map(\.name) + (includeJointFactors ? Self.jointFactorNames : [])
        // Every raw factor is monotone in each grid axis, so its extremes lie at the corners.
        var lower = [Double](repeating: .infinity, count: names.count)
        var upper = [Double](repeating: -.infinity, count: names.count)
        let corners = space.grids.map { $0.isEmpty ? [] : [0, $0.count - 1] }
        for corner in SearchSpace.product(corners) {
            guard let architecture = try? space.architecture(at: GridPoint(corner)) else { continue }
            for (i, u) in Self.rawFactors(architecture, factors: factors, joint: includeJointFactors).enumerated() {
                lower[i] = min(lower[i], u)
                upper[i] = max(upper[i], u)
            }
        }
        self.lower = lower
        self.upper = upper
    }

    /// The global factors' names of `space`'s family, in order.
    public static func globalFactorNames(of space: SearchSpace) -> [String] {
        space.factors.map(\.name)
    }

    /// The GP inputs of `architecture`, each in [0, 1] for architectures inside the space.
    public func encode(_ architecture: Architecture) -> [Double] {
        let raw = Self.rawFactors(architecture, factors: factors, joint: includesJointFactors)
        return raw.indices.map { i in
            let span = upper[i] - lower[i]
            return span > 0 ? (raw[i] - lower[i]) / span : 0.5
        }
    }

    static func rawFactors(_ architecture: Architecture, factors: [ArchitectureFactor], joint: Bool) -> [Double] {
        var raw: [Double] = []
        raw.reserveCapacity(factors.count + 2)
        var r = 0.0
        var w = 0.0
        for factor in factors {
            let u = log2(factor.value(of: architecture) / factor.reference)
            switch factor.kind {
            case .resolution: r = u
            case .width: w = u
            case .depthMultiplier, .choice: break
            }
            raw.append(u)
        }
        guard joint else { return raw }
        return raw + [r + log2(architecture.totalDepthFactor), r + w]
    }
}
