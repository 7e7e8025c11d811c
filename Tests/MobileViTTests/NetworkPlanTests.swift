import Testing
import MobileViT

/// The channel plan: the exact widths a builder needs, agreeing with the counts layer by layer.
@Suite struct NetworkPlanTests {
    static let architectures: [Architecture] = {
        let cases: [(Int, Double, [Int], [Int], Int)] = [
            (256, 1.0, [1, 2], [2, 4, 3], 1000),
            (96, 0.3125, [1, 3], [1, 2, 1], 10),
            (112, 0.5625, [2, 1], [3, 1, 4], 100),
            (208, 0.6875, [2, 3], [3, 6, 5], 100),
            (352, 1.9375, [3, 6], [4, 8, 6], 1000),
            (160, 0.25, [1, 1], [1, 1, 1], 3),
        ]
        return cases.compactMap { try? Architecture(resolution: $0.0, width: $0.1, mv2Depths: $0.2, vitDepths: $0.3, classes: $0.4) }
    }()

    @Test func publishedModelHasMLCVNetsWidths() throws {
        let plan = MobileViTv2Family.plan(of: try Architecture(resolution: 256, width: 1.0))
        #expect(plan.stem == 32)
        #expect(plan.stages.map { $0.invertedResiduals.map(\.output) } == [[64], [128, 128], [256], [384], [512]])
        #expect(plan.stages.map { $0.invertedResiduals.map(\.hidden) } == [[64], [128, 256], [256], [512], [768]])
        #expect(plan.stages.compactMap { $0.mobileViT?.attentionDim } == [128, 192, 256])
        #expect(plan.stages.compactMap { $0.mobileViT?.ffnHidden } == [256, 384, 512])
        #expect(plan.classifier.input == 512 && plan.classifier.classes == 1000)
    }

    @Test func widthWhereTimmsStockConfigRoundsDifferentlyFollowsMLCVNets() throws {
        // 64 x 0.3125 = 20: ml-cvnets rounds stage 1 to a multiple of 16 and never down by more
        // than 10 %, giving 32 (timm's mobilevitv2 config would use 24).
        let plan = MobileViTv2Family.plan(of: try Architecture(resolution: 96, width: 0.3125))
        #expect(plan.stages[0].invertedResiduals.map(\.output) == [32])
        #expect(plan.stem == 16)
    }

    @Test(arguments: architectures)
    func depthsStridesAndClassesFollowTheArchitecture(_ architecture: Architecture) {
        let plan = MobileViTv2Family.plan(of: architecture)
        #expect(plan.stages.map(\.invertedResiduals.count) == architecture.mv2Depths + [1, 1, 1])
        #expect(plan.stages.map { $0.invertedResiduals.map(\.stride) }
                == [Array(repeating: 1, count: architecture.mv2Depths[0]),
                    [2] + Array(repeating: 1, count: architecture.mv2Depths[1] - 1), [2], [2], [2]])
        #expect(plan.stages.compactMap { $0.mobileViT?.layers } == architecture.vitDepths)
        #expect(plan.stages.prefix(2).allSatisfy { $0.mobileViT == nil })
        #expect(plan.classifier.classes == architecture.classes)
    }

    @Test(arguments: architectures)
    func everyCountedLayerHasThePlansWidth(_ architecture: Architecture) throws {
        let plan = MobileViTv2Family.plan(of: architecture)
        let layers = Dictionary(uniqueKeysWithValues: CostModel.breakdown(of: architecture).map { ($0.name, $0.outputShape[0]) })
        #expect(layers["stem"] == plan.stem)
        for (index, stage) in plan.stages.enumerated() {
            for (number, block) in stage.invertedResiduals.enumerated() {
                let prefix = index < 2 ? "stage\(index + 1).block\(number)" : "stage\(index + 1).mv2"
                #expect(layers["\(prefix).expand"] == block.hidden)
                #expect(layers["\(prefix).depthwise"] == block.hidden)
                #expect(layers["\(prefix).project"] == block.output)
            }
            if let block = stage.mobileViT {
                let prefix = "stage\(index + 1).mobilevit"
                #expect(layers["\(prefix).local_project"] == block.attentionDim)
                #expect(layers["\(prefix).layer0.qkv"] == 1 + 2 * block.attentionDim)
                #expect(layers["\(prefix).layer0.ffn_expand"] == block.ffnHidden)
                #expect(layers["\(prefix).fusion"] == block.channels)
            }
        }
        #expect(layers["head.classifier"] == plan.classifier.classes)
    }

    /// Parameters of a network built from the plan alone, layer by layer (BatchNorm and
    /// GroupNorm: 2 per channel); equal to the counter's, so the plan says all a builder needs.
    @Test(arguments: architectures)
    func planAloneGivesTheCountedParameters(_ architecture: Architecture) {
        let plan = MobileViTv2Family.plan(of: architecture)
        var params = 27 * plan.stem + 2 * plan.stem
        for stage in plan.stages {
            for block in stage.invertedResiduals {
                params += block.input * block.hidden + 2 * block.hidden      // 1x1 expand
                params += 9 * block.hidden + 2 * block.hidden                // 3x3 depthwise
                params += block.hidden * block.output + 2 * block.output     // 1x1 project
            }
            if let block = stage.mobileViT {
                let (c, d, f) = (block.channels, block.attentionDim, block.ffnHidden)
                params += 9 * c + 2 * c + c * d
                params += block.layers * (2 * d + (d + 1) * (1 + 2 * d) + (d + 1) * d + 2 * d + (d + 1) * f + (f + 1) * d)
                params += 2 * d + d * c + 2 * c
            }
        }
        params += (plan.classifier.input + 1) * plan.classifier.classes
        #expect(params == CostModel.cost(of: architecture).params)
    }
}
