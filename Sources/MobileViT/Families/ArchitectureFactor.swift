import Foundation

/// One global factor of a family: an axis of its search cube, defined once for the search space,
/// the GP encoding, downsizing, plots and analysis.
///
/// A factor's grid value maps to a concrete network through its ``kind``: the resolution in
/// pixels, the width multiplier, a multiplier on one depth group's base depths (each stage gets
/// max(1, round(base x multiplier))) or the value of a discrete choice.
public struct ArchitectureFactor: Sendable, Hashable {
    /// What a factor's value sets in an architecture.
    public enum Kind: Sendable, Hashable {
        /// The input resolution, in pixels.
        case resolution
        /// The width multiplier.
        case width
        /// A multiplier on the base depths of the named ``DepthGroup``.
        case depthMultiplier(group: String)
        /// The value of the named ``ArchitectureChoice``.
        case choice(String)
    }

    /// The factor's name in GP inputs, analyses and JSON, e.g. `mv2_depth`.
    public let name: String
    /// The factor's name on the command line and in plots, e.g. `mv2-depth`.
    public let argument: String
    /// The key of the factor's grid in a search space's JSON, e.g. `mv2_depth_multipliers`.
    public let spaceKey: String
    /// The factor in words, e.g. `MV2 depth`.
    public let words: String
    /// An axis title with its unit, e.g. `MV2 depth multiplier (x base 1,2)`.
    public let label: String
    /// The start of a short caption of one value, e.g. `MV2 x` in `MV2 x1.5`.
    public let captionPrefix: String
    public let kind: Kind
    /// The value the GP encoding measures from: input u = log2(value / reference).
    public let reference: Double
    /// The grid of the family's default search space, ascending.
    public let defaultGrid: [Double]
    /// The share of a downsizing step's MACs reduction this factor gives up before any accuracy
    /// is known (the family's shares sum to 1).
    public let defaultShare: Double

    /// A factor.
    public init(name: String, argument: String, spaceKey: String, words: String, label: String,
                captionPrefix: String, kind: Kind, reference: Double = 1, defaultGrid: [Double],
                defaultShare: Double) {
        self.name = name
        self.argument = argument
        self.spaceKey = spaceKey
        self.words = words
        self.label = label
        self.captionPrefix = captionPrefix
        self.kind = kind
        self.reference = reference
        self.defaultGrid = defaultGrid
        self.defaultShare = defaultShare
    }

    /// Whether the factor's values are whole numbers (pixels or a choice's values).
    public var isWholeNumber: Bool {
        switch kind {
        case .resolution, .choice: true
        case .width, .depthMultiplier: false
        }
    }

    /// The factor's value in `architecture` on the scale of its grid: pixels, the width
    /// multiplier, the group's total depth over its base total, or the choice's value.
    public func value(of architecture: Architecture) -> Double {
        switch kind {
        case .resolution:
            return Double(architecture.resolution)
        case .width:
            return architecture.width
        case .depthMultiplier(let group):
            let base = architecture.family.depthGroups.first { $0.name == group }?.base ?? []
            let depths = architecture.depths(named: group) ?? base
            return Double(depths.reduce(0, +)) / Double(max(base.reduce(0, +), 1))
        case .choice(let name):
            return Double(architecture.choice(named: name) ?? 0)
        }
    }

    /// Whether grid value `value` gives exactly `architecture`'s setting of this factor (depth
    /// multipliers by the per-stage depths they give).
    public func matches(_ value: Double, in architecture: Architecture) -> Bool {
        switch kind {
        case .resolution:
            return Double(architecture.resolution) == value
        case .width:
            return abs(value - architecture.width) < 1e-9
        case .depthMultiplier(let group):
            guard let base = architecture.family.depthGroups.first(where: { $0.name == group })?.base else { return false }
            return (try? Architecture.scaledDepths(base, by: value)) == architecture.depths(named: group)
        case .choice(let name):
            return Double(architecture.choice(named: name) ?? -1) == value
        }
    }

    /// The factor's value on the depth scale: for a depth multiplier, the total depth it gives
    /// over the base total (a multiplier's rounding can make the two differ); else the value.
    public func effectiveValue(_ value: Double, in family: any ArchitectureFamily) -> Double {
        guard case .depthMultiplier(let group) = kind,
              let base = family.depthGroups.first(where: { $0.name == group })?.base else { return value }
        let depths = (try? Architecture.scaledDepths(base, by: value)) ?? base
        return Double(depths.reduce(0, +)) / Double(max(base.reduce(0, +), 1))
    }
}
