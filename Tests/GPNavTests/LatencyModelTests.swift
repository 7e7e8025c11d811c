import Foundation
import MobileViT
import Testing
@testable import GPNav

@Suite("Latency model")
struct LatencyModelTests {
    static let target = LatencyTarget(device: "edge", runtime: "onnxruntime", threads: 1)
    static let family = MobileViTv2Family()

    /// Architectures of MobileViTv2 at several resolutions and widths.
    static func architectures(_ count: Int) throws -> [Architecture] {
        var result: [Architecture] = []
        for index in 0..<count {
            result.append(try Architecture(family: family, resolution: 128 + 32 * (index % 6), width: 0.5 + 0.125 * Double(index / 6)))
        }
        return result
    }

    /// A device whose latency is exactly 0.4 ms plus 30 ms per G MACs of stage 3 plus 10 ms per
    /// G MACs elsewhere: a non-negative combination of the model's terms.
    static func latency(of architecture: Architecture) -> Double {
        let stage3 = CostModel.breakdown(of: architecture).filter { $0.name.hasPrefix("stage3.") }.reduce(0) { $0 + $1.macs }
        let total = CostModel.cost(of: architecture).macs
        return 0.4 + 30e-9 * Double(stage3) + 10e-9 * Double(total - stage3)
    }

    static func measurements(_ architectures: [Architecture], on target: LatencyTarget,
                             latency: (Architecture) -> Double) -> [LatencyMeasurement] {
        architectures.map { LatencyMeasurement(target: target, architecture: $0, latencyMs: latency($0), spreadMs: 0.1,
                                               measuredAt: Date(timeIntervalSince1970: 0)) }
    }

    @Test func aDeviceThatIsANonNegativeCombinationOfTheTermsIsPredictedExactlyAndEveryHeldOutOneWithinTenPercent() throws {
        let architectures = try Self.architectures(24)
        let model = try LatencyModel(family: Self.family, target: Self.target,
                                     measurements: Self.measurements(architectures, on: Self.target, latency: Self.latency))
        #expect(model.accuracy.heldOut == 24)
        #expect(model.accuracy.withinTenPercent == 24)
        #expect(model.coefficients.allSatisfy { $0 >= 0 })
        let unseen = try Architecture(family: Self.family, resolution: 320, width: 1.375)
        let prediction = try model.predict(unseen)
        // Per-stage MACs of these architectures are nearly collinear (all scale with r^2 w^2), so
        // "exactly" is to the conditioning of the fit, here well within 0.1 % on an extrapolation.
        #expect(abs(prediction.latencyMs - Self.latency(of: unseen)) / Self.latency(of: unseen) < 1e-3)
        #expect(prediction.spreadMs < 1e-3 * prediction.latencyMs)
    }

    @Test func anotherTargetsMeasurementsNeverChangeTheModel() throws {
        let architectures = try Self.architectures(20)
        let own = Self.measurements(architectures, on: Self.target, latency: Self.latency)
        var otherDevice = Self.target
        otherDevice.device = "phone"
        var int8 = Self.target
        int8.bits = 8
        let others = Self.measurements(architectures, on: otherDevice) { 50 * Self.latency(of: $0) + 7 }
            + Self.measurements(architectures, on: int8) { 3 * Self.latency(of: $0) }
        let alone = try LatencyModel(family: Self.family, target: Self.target, measurements: own)
        let mixed = try LatencyModel(family: Self.family, target: Self.target, measurements: others + own)
        #expect(alone.coefficients == mixed.coefficients)
        #expect(alone.accuracy == mixed.accuracy)
        #expect(throws: LatencyModelError.self) {
            try LatencyModel(family: Self.family, target: Self.target, measurements: others)
        }
    }

    @Test func noisyMeasurementsGiveAPredictionWithASpreadFromTheHeldOutErrors() throws {
        let architectures = try Self.architectures(30)
        // A fixed +/-8 % pattern, so the test is deterministic.
        let pattern = [1.08, 0.92, 1.0, 1.05, 0.95]
        var index = 0
        let noisy = Self.measurements(architectures, on: Self.target) { architecture in
            defer { index += 1 }
            return Self.latency(of: architecture) * pattern[index % pattern.count]
        }
        let model = try LatencyModel(family: Self.family, target: Self.target, measurements: noisy)
        let rms = model.accuracy.rootMeanSquareRelativeError
        #expect(rms > 0.02 && rms < 0.2)
        let prediction = try model.predict(architectures[0])
        #expect(abs(prediction.spreadMs - rms * prediction.latencyMs) < 1e-12)
    }

    @Test func tooFewMeasurementsAreRefusedNamingHowManyAreNeeded() throws {
        let measurements = Self.measurements(try Self.architectures(5), on: Self.target, latency: Self.latency)
        let features = try LatencyFeatures(family: Self.family)
        let need = LatencyModel.minimumMeasurements(for: features)
        #expect(need == 14, "12 terms (a constant, 7 stages' MACs, elements, 2 block counts, params) and 2 more")
        #expect(throws: LatencyModelError.tooFewMeasurements(family: "mobilevitv2", target: Self.target.text, have: 5, need: need)) {
            try LatencyModel(family: Self.family, target: Self.target, measurements: measurements)
        }
        let oneShort = Self.measurements(try Self.architectures(need - 1), on: Self.target, latency: Self.latency)
        #expect(throws: LatencyModelError.tooFewMeasurements(family: "mobilevitv2", target: Self.target.text, have: need - 1, need: need)) {
            try LatencyModel(family: Self.family, target: Self.target, measurements: oneShort)
        }
    }

    @Test func theTermsOfAnArchitectureSumToItsExactMACs() throws {
        let features = try LatencyFeatures(family: Self.family)
        #expect(features.names.first == "constant")
        #expect(features.names.suffix(4) == ["output_elements", "inverted_residuals", "attention_layers", "params"])
        #expect(features.stages.first == "stem" && features.stages.last == "head")
        let architecture = try Architecture(family: Self.family, resolution: 224, width: 0.75)
        let values = try #require(features.values(of: architecture))
        #expect(Int(values.dropFirst().prefix(features.stages.count).reduce(0, +)) == CostModel.cost(of: architecture).macs)
        let other = try Architecture(family: MobileNetV2Family(), resolution: 224, width: 1)
        #expect(features.values(of: other) == nil)
    }

    /// The values of the terms called `names` of `architecture`, in that order.
    static func terms(_ names: [String], of architecture: Architecture) throws -> [Double] {
        let features = try LatencyFeatures(family: architecture.family)
        let values = try #require(features.values(of: architecture))
        return try names.map { name in values[try #require(features.names.firstIndex(of: name))] }
    }

    /// MobileViTv2 (Mehta & Rastegari 2022; ml-cvnets' `mobilevit_v2` configuration): one MV2
    /// block in stage 1, two in stage 2, one opening each of stages 3 to 5, and 2, 4 and 3
    /// attention layers; MobileViT-XXS (Mehta & Rastegari 2021, Figure 1 and Table 4 of
    /// ml-cvnets' configuration): 1 and 3 MV2 blocks in the first two stages, one opening each of
    /// the other three, 7, and 2, 4 and 3 transformer layers; MobileNetV2 (Sandler et al. 2018,
    /// Table 2): 1, 2, 3, 4, 3, 3 and 1 bottlenecks, 17.
    @Test func theBlockCountsAreThePublishedNetworksAndFollowTheDepths() throws {
        let names = ["inverted_residuals", "attention_layers"]
        #expect(try Self.terms(names, of: try Architecture(family: Self.family, resolution: 256, width: 1)) == [6, 9])
        #expect(try Self.terms(names, of: try Architecture(family: Self.family, resolution: 96, width: 0.25,
                                                           depths: ["mv2_depths": [3, 6], "vit_depths": [1, 1, 1]])) == [12, 3])
        #expect(try Self.terms(names, of: try #require(MobileViTv1Family().preset(named: "mobilevit-xxs")).architecture) == [7, 9])
        #expect(try Self.terms(names, of: try Architecture(family: MobileNetV2Family(), resolution: 224, width: 1)) == [17, 0])
    }

    /// The weights an inference reads, counted by others: 46,892 for a tiny MobileViTv2 (32 x 32,
    /// width 0.125, one block per stage, one class; Experiments/cost/reference_count.py, an
    /// independent count of ml-cvnets' definition), 1,272,024 for MobileViT-XXS (ml-cvnets and
    /// timm's `mobilevit_xxs`) and 3,504,872 for MobileNetV2 1.0 (torchvision's `mobilenet_v2`).
    @Test func theParamsTermIsEveryWeightOfTheNetworkAsOthersCountThem() throws {
        let tiny = try Architecture(family: Self.family, resolution: 32, width: 0.125,
                                    depths: ["mv2_depths": [1, 1], "vit_depths": [1, 1, 1]], classes: 1)
        #expect(try Self.terms(["params"], of: tiny) == [46_892])
        #expect(try Self.terms(["params"], of: try #require(MobileViTv1Family().preset(named: "mobilevit-xxs")).architecture) == [1_272_024])
        #expect(try Self.terms(["params"], of: try Architecture(family: MobileNetV2Family(), resolution: 224, width: 1)) == [3_504_872])
    }

    /// A device that costs 0.3 ms per inference, 12 ns per MAC, 0.2 us per weight and 25 us per
    /// attention layer: the fit of exact readings of 40 varied architectures gives those back.
    @Test func theFitRecoversTheCoefficientsOfASyntheticDevice() throws {
        var architectures: [Architecture] = []
        for index in 0..<40 {
            architectures.append(try Architecture(
                family: Self.family, resolution: 96 + 32 * (index % 7), width: 0.25 + 0.125 * Double(index % 9),
                depths: ["mv2_depths": [1 + index % 2, 1 + index % 3], "vit_depths": [1 + index % 4, 1 + index % 5, 1 + index % 3]]))
        }
        func latency(_ architecture: Architecture) -> Double {
            let cost = CostModel.cost(of: architecture)
            return 0.3 + 12e-9 * Double(cost.macs) + 2e-7 * Double(cost.params)
                + 0.025 * Double(architecture.depthLists[1].reduce(0, +))
        }
        let model = try LatencyModel(family: Self.family, target: Self.target,
                                     measurements: Self.measurements(architectures, on: Self.target, latency: latency))
        var expected = [Double](repeating: 12e-9, count: model.features.names.count)
        for (name, value) in [("constant", 0.3), ("output_elements", 0), ("inverted_residuals", 0),
                              ("attention_layers", 0.025), ("params", 2e-7)] {
            expected[try #require(model.features.names.firstIndex(of: name))] = value
        }
        for (name, (found, truth)) in zip(model.features.names, zip(model.coefficients, expected)) {
            #expect(abs(found - truth) <= 1e-6 * max(truth, 1e-9) + 1e-12, "\(name): \(found) against \(truth)")
        }
        #expect(model.accuracy.rootMeanSquareRelativeError < 1e-6)
    }

    @Test func aPredictionIsClearlyOverOnlyBeyondTwoSpreads() {
        let prediction = LatencyPrediction(latencyMs: 50, spreadMs: 5)
        #expect(prediction.isClearlyOver(39))
        #expect(!prediction.isClearlyOver(40))
        #expect(!prediction.isClearlyOver(45))
    }
}
