import Foundation

/// One architecture of a family: the network's global factors, as its family names them.
///
/// Every architecture has an input ``resolution`` r (square images, r x r pixels), a width
/// multiplier ``width`` w, per-stage depths for each of its family's depth groups (for example
/// MobileViTv2's MV2 blocks of stages 1 and 2 and attention layers of stages 3 to 5), a value
/// for each of its family's discrete choices, and a class count.
///
/// A value of this type is always valid: every initializer checks the bounds below and the
/// family's own rules (``ArchitectureFamily/validate(_:)``) and throws ``ArchitectureError``
/// otherwise, and decoding goes through the same checks.
public struct Architecture: Hashable, Sendable {
    /// The registered name of this architecture's family.
    public let familyName: String
    /// Input resolution r in pixels (square input); even, within ``resolutionRange``.
    public let resolution: Int
    /// Width multiplier w applied to every stage's channel count; within ``widthRange``.
    public let width: Double
    /// Per-stage depths of each of the family's depth groups, in the family's order.
    public let depthLists: [[Int]]
    /// The value of each of the family's choices, in the family's order.
    public let choiceValues: [Int]
    /// Number of output classes of the classifier head.
    public let classes: Int

    /// Resolutions accepted, in pixels.
    public static let resolutionRange = 32...1024
    /// Width multipliers accepted.
    public static let widthRange = 0.125...4.0
    /// Blocks or layers accepted per stage.
    public static let depthRange = 1...64
    /// Class counts accepted.
    public static let classRange = 1...1_000_000

    /// Creates an architecture of `family`; depth groups and choices not given take the base
    /// network's.
    /// - Throws: ``ArchitectureError`` when a factor is out of bounds, a depth group or choice
    ///   is not the family's, or the family's own rules are broken.
    public init(family: any ArchitectureFamily, resolution: Int, width: Double, depths: [String: [Int]] = [:],
                choices: [String: Int] = [:], classes: Int = 1000) throws(ArchitectureError) {
        guard resolution % 2 == 0, Self.resolutionRange.contains(resolution) else {
            throw .resolution(resolution)
        }
        guard width.isFinite, Self.widthRange.contains(width) else { throw .width(width) }
        let groups = family.depthGroups
        for name in depths.keys.sorted() where !groups.contains(where: { $0.name == name }) {
            throw .unknownPart(name, family: family.name)
        }
        for name in choices.keys.sorted() where !family.choices.contains(where: { $0.name == name }) {
            throw .unknownPart(name, family: family.name)
        }
        let lists = groups.map { depths[$0.name] ?? $0.base }
        for (group, list) in zip(groups, lists) where list.count != group.base.count {
            throw .stageCount(kind: group.kind, expected: group.base.count, got: list.count)
        }
        for depth in lists.joined() where !Self.depthRange.contains(depth) {
            throw .depth(depth)
        }
        let values = family.choices.map { choices[$0.name] ?? $0.defaultValue }
        for (choice, value) in zip(family.choices, values) where !choice.allowed.contains(value) {
            throw .choice(name: choice.words, value: value, allowed: choice.allowed)
        }
        guard Self.classRange.contains(classes) else { throw .classes(classes) }
        familyName = family.name
        self.resolution = resolution
        self.width = width
        depthLists = lists
        choiceValues = values
        self.classes = classes
        try family.validate(self)
    }

    /// Creates the architecture at one point of `family`'s factor cube: `values` holds one grid
    /// value per factor of ``ArchitectureFamily/factors``, in order; everything no factor sets
    /// is the base network's.
    /// - Throws: ``ArchitectureError`` when a value is out of bounds.
    public init(family: any ArchitectureFamily, factorValues values: [Double], classes: Int = 1000) throws(ArchitectureError) {
        var resolution = 0
        var width = 0.0
        var depths: [String: [Int]] = [:]
        var choices: [String: Int] = [:]
        for (factor, value) in zip(family.factors, values) {
            switch factor.kind {
            case .resolution:
                guard value.isFinite, value == value.rounded(), abs(value) < 1e9 else { throw .resolution(0) }
                resolution = Int(value)
            case .width:
                width = value
            case .depthMultiplier(let group):
                let base = family.depthGroups.first { $0.name == group }?.base ?? []
                depths[group] = try Self.scaledDepths(base, by: value)
            case .choice(let name):
                guard value.isFinite, value == value.rounded(), abs(value) < 1e9 else {
                    throw .choice(name: name, value: 0, allowed: [])
                }
                choices[name] = Int(value)
            }
        }
        try self.init(family: family, resolution: resolution, width: width, depths: depths, choices: choices,
                      classes: classes)
    }

    /// Base depths scaled by `multiplier`: max(1, round(base x multiplier)) per stage, rounding
    /// halves away from zero, so multiplier 1.5 turns (1, 2) into (2, 3).
    public static func scaledDepths(_ base: [Int], by multiplier: Double) throws(ArchitectureError) -> [Int] {
        guard multiplier.isFinite, multiplier > 0, multiplier <= 16 else { throw .depthMultiplier(multiplier) }
        return base.map { max(1, Int((Double($0) * multiplier).rounded())) }
    }

    /// This architecture's family.
    public var family: any ArchitectureFamily { ArchitectureFamilies.resolved(familyName) }

    /// The per-stage depths of the depth group called `name`; nil when the family has none.
    public func depths(named name: String) -> [Int]? {
        family.depthGroups.firstIndex { $0.name == name }.map { depthLists[$0] }
    }

    /// The value of the choice called `name`; nil when the family has none.
    public func choice(named name: String) -> Int? {
        family.choices.firstIndex { $0.name == name }.map { choiceValues[$0] }
    }

    /// Each choice's value as text (its label, e.g. `xs`, or the number), in the family's order.
    public var choiceTexts: [String] {
        zip(family.choices, choiceValues).map { $0.text(of: $1) }
    }

    /// All blocks and layers of every depth group relative to the base network's: the total
    /// depth factor D of the joint factor resolution x depth.
    public var totalDepthFactor: Double {
        let base = family.depthGroups.reduce(0) { $0 + $1.base.reduce(0, +) }
        let blocks = depthLists.reduce(0.0) { $0 + Double($1.reduce(0, +)) }
        return blocks / Double(max(base, 1))
    }
}

extension Architecture: CustomStringConvertible {
    /// A compact, human-readable form, e.g. `r256 w1.0 mv2(1,2) vit(2,4,3)`; other families than
    /// the default start with their name.
    public var description: String {
        let family = self.family
        var parts: [String] = []
        if family.name != ArchitectureFamilies.standard.name { parts.append(family.name) }
        parts.append("r\(resolution)")
        parts.append("w\(formatWidth(width))")
        for (group, depths) in zip(family.depthGroups, depthLists) {
            parts.append("\(group.shortName)(\(depths.map(String.init).joined(separator: ",")))")
        }
        for (choice, value) in zip(family.choices, choiceValues) {
            parts.append(choice.labels.isEmpty ? "\(choice.name) \(value)" : choice.text(of: value))
        }
        if classes != 1000 { parts.append("classes \(classes)") }
        return parts.joined(separator: " ")
    }
}

/// A width multiplier written with as few digits as represent it exactly (up to 4 decimals).
public func formatWidth(_ width: Double) -> String {
    var text = String(format: "%.4f", width)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text += "0" }
    return text
}
