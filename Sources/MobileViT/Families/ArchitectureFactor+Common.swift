extension ArchitectureFactor {
    /// The input resolution in pixels, encoded relative to the family's base resolution.
    public static func resolution(grid: [Double], share: Double, baseResolution: Int) -> ArchitectureFactor {
        ArchitectureFactor(name: "resolution", argument: "resolution", spaceKey: "resolutions", words: "resolution",
                           label: "input resolution (px)", captionPrefix: "res ", kind: .resolution,
                           reference: Double(baseResolution),
                           defaultGrid: grid, defaultShare: share)
    }

    /// The width multiplier on the family's base channel plan.
    public static func width(grid: [Double], share: Double) -> ArchitectureFactor {
        ArchitectureFactor(name: "width", argument: "width", spaceKey: "widths", words: "width",
                           label: "width multiplier (x)", captionPrefix: "width ", kind: .width,
                           defaultGrid: grid, defaultShare: share)
    }
}

extension ArchitectureFactor {
    /// A short name for table headers: `r`, `w`, a depth group's short name (e.g. `mv2`), or a
    /// choice's name.
    public var shortName: String {
        switch kind {
        case .resolution: "r"
        case .width: "w"
        case .depthMultiplier(let group): group.hasSuffix("_depths") ? String(group.dropLast("_depths".count)) : group
        case .choice(let name): name
        }
    }
}
