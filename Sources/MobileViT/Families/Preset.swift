/// A published model of a family: its name and architecture.
public struct Preset: Hashable, Sendable {
    /// The model's name, e.g. `mobilevitv2-1.0`.
    public let name: String
    /// The published model's architecture.
    public let architecture: Architecture
    /// A short label for plots, e.g. `v2-1.0`.
    public let label: String
    /// The published ImageNet-1k top-1 accuracy of the trained model, in percent, at the preset's
    /// resolution (a real training, unlike the simulator's numbers); nil when none is published.
    public let publishedTop1: Double?

    /// A preset.
    public init(name: String, architecture: Architecture, label: String? = nil, publishedTop1: Double? = nil) {
        self.name = name
        self.architecture = architecture
        self.label = label ?? name
        self.publishedTop1 = publishedTop1
    }

    /// Every registered family's published models, family by family, smallest first.
    public static var all: [Preset] { ArchitectureFamilies.all.flatMap(\.presets) }

    /// The preset of any registered family with this name (each family decides which spellings
    /// it accepts, e.g. `mobilevitv2-1` for `mobilevitv2-1.0`).
    /// - Throws: ``ArchitectureError/unknownPreset(_:)``.
    public static func named(_ name: String) throws(ArchitectureError) -> Preset {
        for family in ArchitectureFamilies.all {
            if let preset = family.preset(named: name) { return preset }
        }
        throw .unknownPreset(name)
    }
}
