import Foundation
import MobileViT
import Testing
@testable import GPNav

/// The estimate a latency screen uses before the device's latency model has its measurements:
/// latency as a power of MACs, its spread learned from the measurements (``PowerLawLatencyEstimate``).
@Suite("Power-law latency estimate")
struct PowerLawLatencyEstimateTests {
    typealias Point = PowerLawLatencyEstimate.Point

    /// 2 ms at 100 M MACs, growing as MACs^0.8.
    static func onCurve(_ macs: Double) -> Double { 2 * pow(macs / 1e8, 0.8) }

    @Test func measurementsOnAPowerLawGiveItsSlopeAndTheirOwnSpread() throws {
        let points = [80e6, 150e6, 300e6, 700e6].map { Point(macs: $0, latencyMs: Self.onCurve($0)) }
        let estimate = try #require(PowerLawLatencyEstimate(points: points, readingRelativeSpread: 0.07))
        #expect(abs(estimate.slope - 0.8) < 1e-12)
        let prediction = try #require(estimate.prediction(macs: 500_000_000))
        #expect(abs(prediction.latencyMs - Self.onCurve(5e8)) < 1e-9)
        // Held out in turn, each is predicted exactly: the spread is the readings' own.
        #expect(abs(prediction.spreadMs - 0.07 * prediction.latencyMs) < 1e-9)
    }

    /// Four measurements at one size (no slope: proportional), of 1, 1, 1 and 2 ms: held out, a
    /// 1 ms one is estimated at the geometric mean of 1, 1 and 2 (2^(1/3)), the 2 ms one at 1.
    @Test func theLearnedSpreadIsTheRootMeanSquareRelativeErrorOfEachHeldOut() throws {
        let points = [1.0, 1, 1, 2].map { Point(macs: 1e8, latencyMs: $0) }
        let estimate = try #require(PowerLawLatencyEstimate(points: points, readingRelativeSpread: 0.01))
        #expect(estimate.slope == 1)
        let expected = ((3 * pow(cbrt(2.0) - 1, 2) + pow(1.0 / 2 - 1, 2)) / 4).squareRoot()
        #expect(abs(estimate.relativeSpread - expected) < 1e-12)
    }

    @Test func withFewerThanFourMeasurementsTheSpreadIsAQuarterAndOneMeasurementIsProportional() throws {
        let one = try #require(PowerLawLatencyEstimate(points: [Point(macs: 1e8, latencyMs: 4)], readingRelativeSpread: 0.1))
        let prediction = try #require(one.prediction(macs: 300_000_000))
        #expect(abs(prediction.latencyMs - 12) < 1e-9)
        #expect(abs(prediction.spreadMs - 3) < 1e-9)
        #expect(PowerLawLatencyEstimate(points: [], readingRelativeSpread: 0.1) == nil)
    }

    @Test func aSlopeBeyondItsRangeIsClampedAndMACsCloseTogetherFitNone() throws {
        // 1 ms at 100 M and 16 ms at 400 M: a slope of 2, kept at 1.25.
        let steep = try #require(PowerLawLatencyEstimate(points: [Point(macs: 1e8, latencyMs: 1), Point(macs: 4e8, latencyMs: 16)],
                                                         readingRelativeSpread: 0))
        #expect(steep.slope == PowerLawLatencyEstimate.slopeRange.upperBound)
        // 100 M and 120 M span less than 1.5: proportional, at their geometric mean ratio.
        let close = try #require(PowerLawLatencyEstimate(points: [Point(macs: 1e8, latencyMs: 1), Point(macs: 1.2e8, latencyMs: 2)],
                                                         readingRelativeSpread: 0))
        #expect(close.slope == 1)
        let prediction = try #require(close.prediction(macs: 100_000_000))
        #expect(abs(prediction.latencyMs - (1.0 * 2 / 1.2).squareRoot()) < 1e-9)
    }

    /// The screen's estimate of an unmeasured architecture, before the model: the power law fitted
    /// to its measurements, with their median relative spread when the law fits them exactly.
    @Test func theScreenEstimatesByThePowerLawWithTheReadingsMedianRelativeSpread() throws {
        let target = LatencyTarget(device: "edge", runtime: "onnxruntime", threads: 1)
        let family = MobileViTv2Family()
        let measured = try [(160, 0.5), (192, 0.75), (224, 1.0), (256, 1.25)].map { resolution, width in
            try Architecture(family: family, resolution: resolution, width: width)
        }
        let spreads = [0.02, 0.05, 0.06, 0.3]
        let measurements = zip(measured, spreads).map { architecture, share in
            let latency = Self.onCurve(Double(CostModel.cost(of: architecture).macs))
            return LatencyMeasurement(target: target, architecture: architecture, latencyMs: latency, spreadMs: share * latency,
                                      measuredAt: Date(timeIntervalSince1970: 0))
        }
        var screen = LatencyScreen(budget: LatencyBudget(maxMs: 10, device: "edge"), target: target)
        screen.read(measurements, family: family)
        let other = try Architecture(family: family, resolution: 208, width: 0.875)
        let macs = CostModel.cost(of: other).macs
        let estimate = try #require(screen.estimate(of: other, macs: macs))
        #expect(abs(estimate.latencyMs - Self.onCurve(Double(macs))) < 1e-9)
        // The screen's median relative spread is its upper median, 0.06.
        #expect(abs(estimate.spreadMs - 0.06 * estimate.latencyMs) < 1e-9)
    }
}
