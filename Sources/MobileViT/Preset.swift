/// A published MobileViTv2 model: width multiplier w at 256x256 with the base depths.
public struct Preset: Hashable, Sendable {
    /// The model's name, e.g. `mobilevitv2-1.0`.
    public let name: String
    /// The published model's architecture.
    public let architecture: Architecture

    /// The seven published widths, 0.5 to 2.0.
    public static let widths: [Double] = [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]

    /// All published MobileViTv2 models, smallest first.
    public static let all: [Preset] = widths.compactMap { width in
        guard let architecture = try? Architecture(resolution: 256, width: width) else { return nil }
        return Preset(name: "mobilevitv2-\(formatWidth(width))", architecture: architecture)
    }

    /// The preset with this name (case-insensitive; `mobilevitv2-1` and `mobilevitv2-1.00` also match).
    /// - Throws: ``ArchitectureError/unknownPreset(_:)``.
    public static func named(_ name: String) throws(ArchitectureError) -> Preset {
        let lowered = name.lowercased()
        let prefix = "mobilevitv2-"
        if lowered.hasPrefix(prefix), let width = Double(lowered.dropFirst(prefix.count)),
           let match = all.first(where: { $0.architecture.width == width }) {
            return match
        }
        throw .unknownPreset(name)
    }
}
