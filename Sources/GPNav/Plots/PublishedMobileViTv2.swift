import MobileViT

/// Published MobileViTv2 ImageNet-1k top-1 accuracies at 256x256, for reference marks.
///
/// Source: the ml-cvnets model zoo / MobileViTv2 paper (Mehta & Rastegari, 2022), as recorded in
/// the project's reference table `mobilevitv2_imagenet1k.csv` (column `top1_256`). These are real
/// trainings, unlike the simulator's numbers.
public enum PublishedMobileViTv2 {
    /// Top-1 (%) at 256x256 by width multiplier, 0.5 to 2.0.
    public static let top1At256: [(width: Double, accuracy: Double)] = [
        (0.5, 70.18), (0.75, 75.56), (1.0, 78.09), (1.25, 79.65), (1.5, 80.38), (1.75, 80.84), (2.0, 81.17),
    ]

    /// Each preset with its exact MACs (cost model, published convention) and published top-1.
    public static var references: [AccuracyMACsPlot.Point] {
        Preset.all.compactMap { preset in
            guard let entry = top1At256.first(where: { $0.width == preset.architecture.width }) else { return nil }
            return AccuracyMACsPlot.Point(macs: CostModel.cost(of: preset.architecture).macs, accuracy: entry.accuracy,
                                          label: "v2-" + SVGDocument.number(entry.width))
        }
    }
}
