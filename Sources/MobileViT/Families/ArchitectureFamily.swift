/// A family of networks that gpnav can search: what varies, what is valid, and what it costs.
///
/// A family names its architectures' parts (``depthGroups`` and ``choices``), the global
/// ``factors`` that span its search cube, its published ``presets``, and counts each architecture
/// exactly. Everything outside a family's folder works through this protocol, so a new family is
/// one folder that implements it plus one line in ``ArchitectureFamilies/all``.
///
/// Every architecture of a family has a resolution, a width multiplier, one list of per-stage
/// depths per depth group and one value per choice; ``Architecture`` checks the generic bounds
/// and then asks ``validate(_:)`` for the family's own rules.
public protocol ArchitectureFamily: Sendable {
    /// The registered name, as stored and given to `--family` (e.g. `mobilevitv2`).
    var name: String { get }
    /// The family's name in prose (e.g. `MobileViTv2`).
    var displayName: String { get }
    /// The resolution of the family's published base network, in pixels (e.g. 256): the
    /// resolution of a base network no flag changes, and the reference of the GP's resolution input.
    var baseResolution: Int { get }
    /// The per-stage depth groups, in the order an architecture keeps them.
    var depthGroups: [DepthGroup] { get }
    /// The discrete choices, in the order an architecture keeps them.
    var choices: [ArchitectureChoice] { get }
    /// The global factors of the search cube, in the order the search and the GP see them; the
    /// first two are always resolution and width.
    var factors: [ArchitectureFactor] { get }
    /// The published models, smallest first.
    var presets: [Preset] { get }
    /// The preset called `name`, in any spelling the family accepts; nil when there is none.
    func preset(named name: String) -> Preset?
    /// Checks the family's own rules (stage counts, allowed choices) once the generic bounds hold.
    func validate(_ architecture: Architecture) throws(ArchitectureError)
    /// Total MACs and parameters of `architecture`, exactly; allocates nothing.
    func cost(of architecture: Architecture, convention: CountingConvention) -> Cost
    /// Every layer of `architecture` in network order; sums equal ``cost(of:convention:)``.
    func breakdown(of architecture: Architecture, convention: CountingConvention) -> [LayerCost]
    /// Every layer width a builder needs to construct `architecture` exactly (the `channel_plan`).
    func channelPlan(of architecture: Architecture) -> ArchitecturePlan
    /// The simulator's calibrated noise-free ImageNet-1k top-1 accuracy of `architecture`, in
    /// percent: finite, in (0, 100), rising in every factor. Trains nothing.
    func calibratedAccuracy(of architecture: Architecture) -> Double
    /// `architecture` expressed with the parts no factor sets at their defaults (e.g. a MobileViT
    /// v1 preset's widths as a width multiplier on the searched base plan), so that the nearest
    /// grid point of a search space is near it in size; the architecture itself by default.
    func searchEquivalent(_ architecture: Architecture) -> Architecture
    /// The counting conventions ``cost(of:convention:)`` implements; every one by default.
    var conventions: [CountingConvention] { get }
}

extension ArchitectureFamily {
    public func searchEquivalent(_ architecture: Architecture) -> Architecture { architecture }

    public var conventions: [CountingConvention] { CountingConvention.allCases }

    /// The family's base network: the base resolution, width 1, the base depths and choices.
    public func baseArchitecture() throws(ArchitectureError) -> Architecture {
        try Architecture(family: self, resolution: baseResolution, width: 1)
    }

    /// The base depths of every depth group, by name.
    public var baseDepths: [String: [Int]] {
        Dictionary(uniqueKeysWithValues: depthGroups.map { ($0.name, $0.base) })
    }

    /// Each choice's default value, by name.
    public var defaultChoices: [String: Int] {
        Dictionary(uniqueKeysWithValues: choices.map { ($0.name, $0.defaultValue) })
    }

    /// The factor called `name` (``ArchitectureFactor/name`` or ``ArchitectureFactor/argument``).
    public func factor(named name: String) -> ArchitectureFactor? {
        factors.first { $0.name == name || $0.argument == name }
    }
}
