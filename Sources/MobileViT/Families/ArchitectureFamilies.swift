/// The registered architecture families: one line per family.
public enum ArchitectureFamilies {
    /// Every family gpnav knows, the default first.
    public static let all: [any ArchitectureFamily] = [
        MobileViTv2Family(),
        MobileViTv1Family(),
        MobileNetV2Family(),
    ]

    /// The family of architectures and search spaces that do not name one.
    public static var standard: any ArchitectureFamily { all[0] }

    /// Registered names, in registration order.
    public static var names: [String] { all.map(\.name) }

    /// The family registered as `name` (case-insensitive).
    /// - Throws: ``ArchitectureError/unknownFamily(_:)``.
    public static func named(_ name: String) throws(ArchitectureError) -> any ArchitectureFamily {
        let lowered = name.lowercased()
        guard let family = all.first(where: { $0.name == lowered }) else { throw .unknownFamily(name) }
        return family
    }

    /// The family registered as `name`; the default family when none is (for names already
    /// checked, such as those of valid architectures and spaces).
    public static func resolved(_ name: String) -> any ArchitectureFamily {
        all.first { $0.name == name } ?? standard
    }
}
