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

    /// Each family's factors as `--factor` names them, e.g. "mobilevitv2: resolution, width, mv2-depth, vit-depth; ...".
    static var factorArguments: String {
        ArchitectureFamilies.all.map { family in
            "\(family.name): " + family.factors.map(\.argument).joined(separator: ", ")
        }.joined(separator: "; ")
    }

    /// Each family's depth groups with their base depths, e.g. "mobilevitv2: mv2_depths 1,2, vit_depths 2,4,3; ...".
    static var depthGroups: String {
        ArchitectureFamilies.all.map { family in
            "\(family.name): " + family.depthGroups.map { "\($0.name) \($0.base.map(String.init).joined(separator: ","))" }
                .joined(separator: ", ")
        }.joined(separator: "; ")
    }

    /// Each family's categorical choices with their values, e.g. "mobilevit: base_plan xxs|xs|s,
    /// expansion 2|4"; families without any are left out.
    static var choices: String {
        ArchitectureFamilies.all.filter { !$0.choices.isEmpty }.map { family in
            "\(family.name): " + family.choices.map { choice in
                "\(choice.name) " + choice.allowed.map { choice.text(of: $0) }.joined(separator: "|")
            }.joined(separator: ", ")
        }.joined(separator: "; ")
    }

    /// Each family's base resolution, e.g. "mobilevitv2 256, mobilevit 256, mobilenetv2 224".
    static var baseResolutions: String {
        ArchitectureFamilies.all.map { "\($0.name) \($0.baseResolution)" }.joined(separator: ", ")
    }

    /// "a", "a or b", "a, b or c".
    private static func listed(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        let rest = names.dropLast()
        return rest.isEmpty ? last : rest.joined(separator: ", ") + " or " + last
    }
}
