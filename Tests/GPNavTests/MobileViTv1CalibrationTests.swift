import Testing
import GPNav
import MobileViT

/// The MobileViT v1 calibration against the published v1 results and the shape it borrows from v2.
@Suite struct MobileViTv1CalibrationTests {
    static let published: [(String, Double)] = [("mobilevit-xxs", 69.0), ("mobilevit-xs", 74.8), ("mobilevit-s", 78.4)]

    @Test func presetsLandWithinTheFitsResidualsOfThePublishedAccuracies() throws {
        var squares = 0.0
        var residuals: [Double] = []
        for (name, accuracy) in Self.published {
            let residual = MobileViTv1Calibration.noiseFreeAccuracy(try MobileViTv1Preset.named(name).network) - accuracy
            residuals.append(residual)
            squares += residual * residual
        }
        // fit_mobilevit_v1.py: -0.0788, +0.2449, -0.1808; RMSE 0.1815.
        #expect(zip(residuals, [-0.0788, 0.2449, -0.1808]).allSatisfy { abs($0 - $1) < 0.0005 }, "\(residuals)")
        #expect(abs((squares / 3).squareRoot() - 0.1815) < 0.0005)
    }

    @Test func relativeWidthIsTheGeometricMeanWidthAgainstS() throws {
        let widths = try MobileViTv1Preset.all.map { MobileViTv1Calibration.relativeWidth(of: $0.network) }
        #expect(abs(widths[0] - 0.451801) < 1e-6 && abs(widths[1] - 0.682131) < 1e-6 && widths[2] == 1)
        let half = try MobileViTv1Network(resolution: 256, basePlan: .s, width: 0.5, expansion: 4)
        #expect(abs(MobileViTv1Calibration.relativeWidth(of: half) - 0.5) < 1e-12)
    }

    @Test func accuracyRisesWithEveryFactorAndStaysBelowTheCeiling() throws {
        let base = try MobileViTv1Network(resolution: 224, basePlan: .xs, width: 0.9, mv2Depths: [1, 2],
                                          transformerDepths: [2, 3, 3], expansion: 2)
        let accuracy = MobileViTv1Calibration.noiseFreeAccuracy
        let reference = accuracy(base)
        let larger: [MobileViTv1Network] = [
            try MobileViTv1Network(resolution: 256, basePlan: .xs, width: 0.9, mv2Depths: [1, 2], transformerDepths: [2, 3, 3], expansion: 2),
            try MobileViTv1Network(resolution: 224, basePlan: .xs, width: 1.0, mv2Depths: [1, 2], transformerDepths: [2, 3, 3], expansion: 2),
            try MobileViTv1Network(resolution: 224, basePlan: .s, width: 0.9, mv2Depths: [1, 2], transformerDepths: [2, 3, 3], expansion: 2),
            try MobileViTv1Network(resolution: 224, basePlan: .xs, width: 0.9, mv2Depths: [1, 3], transformerDepths: [2, 3, 3], expansion: 2),
            try MobileViTv1Network(resolution: 224, basePlan: .xs, width: 0.9, mv2Depths: [1, 2], transformerDepths: [2, 4, 3], expansion: 2),
            try MobileViTv1Network(resolution: 224, basePlan: .xs, width: 0.9, mv2Depths: [1, 2], transformerDepths: [2, 3, 3], expansion: 4),
        ]
        for network in larger {
            #expect(accuracy(network) > reference, "\(network)")
        }
        let extremes = [
            try MobileViTv1Network(resolution: 32, basePlan: .xxs, width: 0.125, mv2Depths: [1, 1], transformerDepths: [1, 1, 1], expansion: 2),
            try MobileViTv1Network(resolution: 1024, basePlan: .s, width: 4, mv2Depths: [64, 64], transformerDepths: [64, 64, 64], expansion: 4),
        ]
        for network in extremes {
            let value = accuracy(network)
            #expect(value.isFinite && value > 0 && value < MobileViTv2Calibration.Constants.accuracyCeiling, "\(network)")
        }
    }
}
