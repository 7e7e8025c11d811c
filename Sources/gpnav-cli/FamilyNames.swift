import MobileViT

/// The registered architecture families as help texts name them, so that every help follows the
/// registry (``ArchitectureFamilies``) instead of naming one family.
enum FamilyNames {
    /// The families' display names, e.g. "MobileViTv2 or MobileViT v1".
    static var displayed: String { listed(ArchitectureFamilies.all.map(\.displayName)) }

    /// The names `--family` takes, e.g. "mobilevitv2 or mobilevit".
    static var registered: String { listed(ArchitectureFamilies.names) }

    /// Each family's search space keys, e.g. "mobilevitv2: resolutions, widths, ...; mobilevit: ...".
    static var spaceKeys: String {
        ArchitectureFamilies.all.map { family in
            "\(family.name): " + family.factors.map(\.spaceKey).joined(separator: ", ")
        }.joined(separator: "; ")
    }

    /// "a", "a or b", "a, b or c".
    private static func listed(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        let rest = names.dropLast()
        return rest.isEmpty ? last : rest.joined(separator: ", ") + " or " + last
    }
}
