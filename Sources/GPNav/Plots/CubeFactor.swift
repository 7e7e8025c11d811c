import Foundation
import MobileViT

/// A global factor named as an axis of a plot (``MobileViT/ArchitectureFactor/argument``, e.g.
/// `resolution` or `mv2-depth`), resolved against a study's family when the plot is drawn.
public struct CubeFactor: RawRepresentable, Hashable, Sendable {
    public let rawValue: String

    /// The factor called `rawValue` by some registered family; nil when no family has it.
    public init?(rawValue: String) {
        guard Self.known.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    private init(known: String) {
        rawValue = known
    }

    /// Every family's first factor.
    public static let resolution = CubeFactor(known: "resolution")
    /// Every family's second factor.
    public static let width = CubeFactor(known: "width")

    /// Every factor name some registered family has, in registration order.
    public static var knownNames: [String] {
        var names: [String] = []
        for factor in ArchitectureFamilies.all.flatMap(\.factors) where !names.contains(factor.argument) {
            names.append(factor.argument)
        }
        return names
    }

    private static var known: Set<String> { Set(knownNames) }

    /// The factor's position in `space`'s factors.
    /// - Throws: ``PlotError/unknownFactor(_:family:known:)`` when the space's family lacks it.
    public func position(in space: SearchSpace) throws(PlotError) -> Int {
        guard let index = space.factors.firstIndex(where: { $0.argument == rawValue }) else {
            throw .unknownFactor(rawValue, family: space.familyName, known: space.factors.map(\.argument))
        }
        return index
    }
}

extension ArchitectureFactor {
    /// Whether the factor is a discrete choice (e.g. v1's MV2 expansion of 2 or 4): values with no
    /// networks between them, drawn as separate panels rather than as an axis.
    var isCategorical: Bool {
        if case .choice = kind { return true }
        return false
    }

    /// A short caption of one value for panel titles, e.g. `res 256`, `width 0.75`, `MV2 x1.5`.
    func caption(_ value: Double) -> String {
        switch kind {
        case .resolution, .choice: "\(captionPrefix)\(Int(value.rounded()))"
        case .width: "\(captionPrefix)\(SVGDocument.number(value, decimals: 4))"
        case .depthMultiplier: "\(captionPrefix)\(SVGDocument.number(value, decimals: 3))"
        }
    }
}

extension SearchSpace {
    /// Index of the grid value of factor `factor` nearest to `value` (on a log scale; values
    /// must be positive).
    public func nearestIndex(along factor: Int, to value: Double) -> Int {
        let values = grids[factor]
        guard value > 0, value.isFinite else { return 0 }
        return values.indices.min { abs(log(values[$0] / value)) < abs(log(values[$1] / value)) } ?? 0
    }
}
