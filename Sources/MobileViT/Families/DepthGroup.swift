/// A named list of per-stage depths of a family (e.g. MobileViTv2's MV2 blocks of stages 1 and 2).
public struct DepthGroup: Sendable, Hashable {
    /// The group's key in JSON and its name in code, e.g. `mv2_depths`.
    public let name: String
    /// The kind of block counted, in words, e.g. `MV2` or `attention`.
    public let kind: String
    /// Which stages the depths are for, in words, e.g. `stages 1 and 2`.
    public let stages: String
    /// The base network's depths, one per stage.
    public let base: [Int]

    /// A depth group.
    public init(name: String, kind: String, stages: String, base: [Int]) {
        self.name = name
        self.kind = kind
        self.stages = stages
        self.base = base
    }
}

extension DepthGroup {
    /// The group's name without its `_depths` suffix, e.g. `mv2`, as descriptions print it.
    public var shortName: String {
        name.hasSuffix("_depths") ? String(name.dropLast("_depths".count)) : name
    }
}
