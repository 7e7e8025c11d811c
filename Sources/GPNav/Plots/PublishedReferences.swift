import MobileViT

/// The published models of a family with their real ImageNet-1k top-1, for reference marks.
enum PublishedReferences {
    /// Each preset of `family` with a published top-1, at its exact MACs (cost model, published
    /// convention).
    public static func points(of family: any ArchitectureFamily) -> [AccuracyMACsPlot.Point] {
        family.presets.compactMap { preset in
            guard let accuracy = preset.publishedTop1 else { return nil }
            return AccuracyMACsPlot.Point(macs: CostModel.cost(of: preset.architecture).macs, accuracy: accuracy,
                                          label: preset.label)
        }
    }

    /// The legend entry of the marks, e.g. `published MobileViTv2 (real top-1 at 256 px)`.
    public static func legend(of family: any ArchitectureFamily) -> String {
        let resolutions = Set(family.presets.filter { $0.publishedTop1 != nil }.map(\.architecture.resolution))
        let at = resolutions.count == 1 ? resolutions.first.map { " at \($0) px" } ?? "" : ""
        return "published \(family.displayName) (real top-1\(at))"
    }
}
