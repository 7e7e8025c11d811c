import MobileViT

/// The gridded cube of a family's global factors that the search proposes from.
///
/// The space holds one ascending grid per factor of its family (``ArchitectureFamily/factors``,
/// in the family's order): for MobileViTv2 resolutions in pixels, width multipliers, and
/// multipliers on the base MV2 and attention depths (see
/// ``MobileViT/Architecture/scaledDepths(_:by:)``). Every grid point of a validated space is a
/// valid architecture.
///
/// Its JSON has one key per factor (``ArchitectureFactor/spaceKey``, e.g. `resolutions`,
/// `widths`, `mv2_depth_multipliers`, `vit_depth_multipliers`), `classes`, and `family` for every
/// family but the default one (a missing `family` means MobileViTv2).
public struct SearchSpace: Hashable, Sendable {
    /// The registered name of the space's family.
    public let familyName: String
    /// One grid per factor of the family, in the family's factor order.
    public var grids: [[Double]]
    /// Class count of every architecture in the space.
    public var classes: Int

    /// A space of `family` with the given grids (the family's default grids when nil).
    public init(family: any ArchitectureFamily, grids: [[Double]]? = nil, classes: Int = 1000) {
        familyName = family.name
        self.grids = grids ?? family.factors.map(\.defaultGrid)
        self.classes = classes
    }

    /// The default family's default space: for MobileViTv2, resolution 96...384 by 16, width
    /// 0.25...2.0 by 0.0625, MV2 depth x0.5...3.0 by 0.5, attention depth x0.25...2.0.
    public static var `default`: SearchSpace { SearchSpace(family: ArchitectureFamilies.standard) }

    /// The space's family.
    public var family: any ArchitectureFamily { ArchitectureFamilies.resolved(familyName) }

    /// The family's factors, in grid order.
    public var factors: [ArchitectureFactor] { family.factors }

    /// The position of the factor called `name` (its name, argument or space key); nil when the
    /// family has none.
    public func factorIndex(_ name: String) -> Int? {
        factors.firstIndex { $0.name == name || $0.argument == name || $0.spaceKey == name }
    }

    /// The grid of the factor called `name`; nil when the family has none.
    public func grid(_ name: String) -> [Double]? {
        factorIndex(name).map { grids[$0] }
    }

    /// Replaces the grid of the factor called `name`.
    /// - Throws: ``SearchSpaceError`` when the family has no such factor.
    public mutating func setGrid(_ name: String, _ values: [Double]) throws(SearchSpaceError) {
        guard let index = factorIndex(name) else {
            throw SearchSpaceError(message: "search space: architecture family \(familyName) has no factor '\(name)' "
                + "(its factors: \(factors.map(\.argument).joined(separator: ", ")))")
        }
        grids[index] = values
    }
}

extension SearchSpace: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let family = try container.decodeIfPresent(String.self, forKey: Key("family"))
            .map { name throws(ArchitectureError) in try ArchitectureFamilies.named(name) } ?? ArchitectureFamilies.standard
        var grids: [[Double]] = []
        for factor in family.factors {
            if factor.isWholeNumber {
                grids.append(try container.decode([Int].self, forKey: Key(factor.spaceKey)).map(Double.init))
            } else {
                grids.append(try container.decode([Double].self, forKey: Key(factor.spaceKey)))
            }
        }
        self.init(family: family, grids: grids, classes: try container.decode(Int.self, forKey: Key("classes")))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (factor, grid) in zip(factors, grids) {
            if factor.isWholeNumber, grid.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e15 }) {
                try container.encode(grid.map { Int($0) }, forKey: Key(factor.spaceKey))
            } else {
                try container.encode(grid, forKey: Key(factor.spaceKey))
            }
        }
        try container.encode(classes, forKey: Key("classes"))
        if familyName != ArchitectureFamilies.standard.name {
            try container.encode(familyName, forKey: Key("family"))
        }
    }
}
