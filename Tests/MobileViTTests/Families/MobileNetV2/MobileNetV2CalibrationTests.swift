import Foundation
import Testing
import MobileViT

/// The simulator's MobileNetV2 calibration reproduces `Experiments/simulator/fit_mobilenet_v2.py`
/// from the Swift code: the same residuals on the 22 published points.
@Suite struct MobileNetV2CalibrationTests {
    /// (width, resolution, published top-1 %), TensorFlow's model zoo.
    static let published: [(Double, Int, Double)] = [
        (1.4, 224, 75.0), (1.3, 224, 74.4),
        (1.0, 224, 71.8), (1.0, 192, 70.7), (1.0, 160, 68.8), (1.0, 128, 65.3), (1.0, 96, 60.3),
        (0.75, 224, 69.8), (0.75, 192, 68.7), (0.75, 160, 66.4), (0.75, 128, 63.2), (0.75, 96, 58.8),
        (0.5, 224, 65.4), (0.5, 192, 63.9), (0.5, 160, 61.0), (0.5, 128, 57.7), (0.5, 96, 51.2),
        (0.35, 224, 60.3), (0.35, 192, 58.2), (0.35, 160, 55.7), (0.35, 128, 50.8), (0.35, 96, 45.5),
    ]

    @Test func residualsOnThePublishedPointsAreTheFitsRMSE0503() throws {
        var squares = 0.0
        var largest = 0.0
        for (width, resolution, top1) in Self.published {
            let architecture = try Architecture(family: MobileNetV2Family(), resolution: resolution, width: width)
            let error = MobileNetV2Calibration.accuracy(of: architecture) - top1
            squares += error * error
            largest = max(largest, abs(error))
        }
        #expect(abs(sqrt(squares / Double(Self.published.count)) - 0.503) < 0.001)
        #expect(abs(largest - 1.29) < 0.01)
    }

    @Test func halvingTheDepthsCostsLessThanAPointAtWidthOneAnd224() throws {
        let family = MobileNetV2Family()
        let base = family.calibratedAccuracy(of: try family.baseArchitecture())
        let shallow = family.calibratedAccuracy(of: try Architecture(family: family, factorValues: [224, 1.0, 0.5]))
        #expect(shallow < base && base - shallow < 1.0)
    }
}
