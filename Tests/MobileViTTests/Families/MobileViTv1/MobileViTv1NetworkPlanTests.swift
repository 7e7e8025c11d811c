import Foundation
import Testing
import MobileViT

/// The v1 channel plan: the published widths, the rounding rule, and the plans the PyTorch tests build.
@Suite struct MobileViTv1NetworkPlanTests {
    @Test func publishedXSHasMLCVNetsWidths() throws {
        let plan = MobileViTv1CostModel.plan(of: try MobileViTv1Preset.named("mobilevit-xs").network)
        #expect(plan.stem == 16)
        #expect(plan.stages.map { $0.invertedResiduals.map(\.output) } == [[32], [48, 48, 48], [64], [80], [96]])
        #expect(plan.stages.map { $0.invertedResiduals.map(\.hidden) } == [[64], [128, 192, 192], [192], [256], [320]])
        #expect(plan.stages.map { $0.invertedResiduals.map(\.stride) } == [[1], [2, 1, 1], [2], [2], [2]])
        #expect(plan.stages.compactMap { $0.mobileViT?.transformerDim } == [96, 120, 144])
        #expect(plan.stages.compactMap { $0.mobileViT?.ffnHidden } == [192, 240, 288])
        #expect(plan.stages.compactMap { $0.mobileViT?.layers } == [2, 4, 3])
        #expect(plan.stages.compactMap { $0.mobileViT?.heads } == [4, 4, 4])
        #expect(plan.head.input == 96 && plan.head.features == 384)
        #expect(plan.classifier.input == 384 && plan.classifier.classes == 1000)
    }

    @Test func widthsAreMultiplesOfEightNearBaseTimesWidthAndHeadIsCappedAt960() throws {
        // S at 0.7: 16 x 0.7 = 11.2 -> 16; 32 x 0.7 = 22.4 -> 24; 144 x 0.7 = 100.8 -> 104;
        // at 1.75 stage 5 is 280 and the head min(1120, 960).
        let narrow = MobileViTv1CostModel.plan(of: try MobileViTv1Network(resolution: 256, basePlan: .s, width: 0.7, expansion: 4))
        #expect(narrow.stem == 16)
        #expect(narrow.stages.map { $0.invertedResiduals[0].output } == [24, 48, 64, 88, 112])
        #expect(narrow.stages.compactMap { $0.mobileViT?.transformerDim } == [104, 136, 168])
        let wide = MobileViTv1CostModel.plan(of: try MobileViTv1Network(resolution: 256, basePlan: .s, width: 1.75, expansion: 4))
        #expect(wide.head.input == 280 && wide.head.features == 960)
        for plan in [narrow, wide] {
            for block in plan.stages.compactMap(\.mobileViT) {
                #expect(block.transformerDim % 8 == 0 && block.transformerDim % block.heads == 0)
            }
        }
    }

    @Test func planWidthsAgreeWithTheBreakdownLayerByLayer() throws {
        let network = try MobileViTv1Network(resolution: 160, basePlan: .xxs, width: 1.3, mv2Depths: [2, 2],
                                             transformerDepths: [1, 2, 1], expansion: 4, classes: 7)
        let plan = MobileViTv1CostModel.plan(of: network)
        let shapes = Dictionary(uniqueKeysWithValues: MobileViTv1CostModel.breakdown(of: network).map { ($0.name, $0.outputShape) })
        #expect(shapes["stem"]?.first == plan.stem)
        for (index, stage) in plan.stages.enumerated() {
            for (number, block) in stage.invertedResiduals.enumerated() {
                let prefix = index < 2 ? "stage\(index + 1).block\(number)" : "stage\(index + 1).mv2"
                #expect(shapes["\(prefix).expand"]?.first == block.hidden)
                #expect(shapes["\(prefix).project"]?.first == block.output)
            }
            if let block = stage.mobileViT {
                #expect(shapes["stage\(index + 1).mobilevit.local_project"]?.first == block.transformerDim)
                #expect(shapes["stage\(index + 1).mobilevit.layer0.ffn_expand"]?.first == block.ffnHidden)
                #expect(shapes["stage\(index + 1).mobilevit.fusion"]?.first == block.channels)
            }
        }
        #expect(shapes["head.conv"]?.first == plan.head.features)
        #expect(shapes["head.classifier"] == [7])
    }

    @Test func planJSONUsesSnakeCaseKeys() throws {
        let plan = MobileViTv1CostModel.plan(of: try MobileViTv1Preset.named("mobilevit-xxs").network)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(plan), as: UTF8.self)
        #expect(text.hasPrefix(#"{"classifier":{"classes":1000,"in":320},"head":{"in":80,"out":320},"stages":[{"inverted_residuals":[{"hidden":32,"in":16,"out":16,"stride":1}]}"#))
        #expect(text.contains(#""mobilevit":{"channels":48,"ffn_hidden":128,"heads":4,"layers":2,"patch_size":2,"transformer_dim":64}"#))
        #expect(try JSONDecoder().decode(MobileViTv1NetworkPlan.self, from: Data(text.utf8)) == plan)
    }

    /// One network of the reference fixture with the plan gpnav gives it: what python/tests build.
    struct PlannedNetwork: Codable, Equatable {
        let network: MobileViTv1Network
        let plan: MobileViTv1NetworkPlan
    }

    static let pythonFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("python/tests/fixtures/mobilevit_v1_plans.json")

    /// python/tests build a model from each of these plans and check its counts against timm's.
    /// `GPNAV_UPDATE_FIXTURES=1 swift test --filter MobileViTv1NetworkPlanTests` rewrites the file.
    @Test func pythonPlanFixtureIsThePlanOfEveryReferenceNetwork() throws {
        let expected = try MobileViTv1ReferenceFixture.cases.map { reference in
            let network = try reference.network()
            return PlannedNetwork(network: network, plan: MobileViTv1CostModel.plan(of: network))
        }
        #expect(expected.count == 33)
        if ProcessInfo.processInfo.environment["GPNAV_UPDATE_FIXTURES"] == "1" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try FileManager.default.createDirectory(at: Self.pythonFixture.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try (encoder.encode(expected) + Data("\n".utf8)).write(to: Self.pythonFixture)
        }
        let stored = try JSONDecoder().decode([PlannedNetwork].self, from: Data(contentsOf: Self.pythonFixture))
        #expect(stored == expected)
    }
}
