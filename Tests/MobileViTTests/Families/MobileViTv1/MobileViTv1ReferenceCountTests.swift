import Testing
import MobileViT

/// MobileViT v1 counts against timm's models as counted outside gpnav
/// (`Experiments/mobilevit-v1/reference_counts.py`), and breakdowns against totals.
@Suite struct MobileViTv1ReferenceCountTests {
    @Test func fixtureHoldsTheThreePresetsAndThirtyRandomNetworks() {
        let cases = MobileViTv1ReferenceFixture.cases
        #expect(cases.count == 33)
        #expect(cases.compactMap(\.name) == ["mobilevit-xxs", "mobilevit-xs", "mobilevit-s"])
    }

    @Test(arguments: MobileViTv1ReferenceFixture.cases)
    func totalsEqualTimmModelCountedByFvcore(_ reference: MobileViTv1ReferenceFixture.Case) throws {
        let network = try reference.network()
        #expect(MobileViTv1CostModel.cost(of: network) == Cost(macs: reference.macs, params: reference.params))
    }

    @Test func presetsHaveTimmsParameterCountsAndThePublishedMACs() throws {
        let costs = MobileViTv1Preset.all.map { MobileViTv1CostModel.cost(of: $0.network) }
        #expect(costs.map(\.params) == [1_272_024, 2_317_848, 5_578_632])
        #expect(costs.map(\.macs) == [408_985_064, 1_028_342_760, 2_004_595_688])
    }

    @Test func presetsAreTheFixturesPublishedCases() throws {
        for preset in MobileViTv1Preset.all {
            let reference = try #require(MobileViTv1ReferenceFixture.cases.first { $0.name == preset.name })
            #expect(try reference.network() == preset.network)
        }
    }

    @Test func breakdownSumsEqualTotalsOnRandomNetworks() throws {
        var random = SplitMix64(seed: 0x7631)
        for _ in 0..<300 {
            let network = try MobileViTv1Network(
                resolution: 2 * Int.random(in: 16...512, using: &random),
                basePlan: MobileViTv1BasePlan.allCases[Int.random(in: 0...2, using: &random)],
                width: Double.random(in: 0.125...4, using: &random),
                mv2Depths: (0..<2).map { _ in Int.random(in: 1...6, using: &random) },
                transformerDepths: (0..<3).map { _ in Int.random(in: 1...10, using: &random) },
                expansion: Bool.random(using: &random) ? 2 : 4,
                classes: Int.random(in: 1...5000, using: &random))
            let layers = MobileViTv1CostModel.breakdown(of: network)
            let total = MobileViTv1CostModel.cost(of: network)
            #expect(layers.reduce(0) { $0 + $1.macs } == total.macs, "\(network)")
            #expect(layers.reduce(0) { $0 + $1.params } == total.params, "\(network)")
            // 3 layers per MV2 block, 7 per transformer layer, 5 per MobileViT block (2 more for
            // an odd map), stem and 3 head layers.
            let mv2 = network.mv2Depths.reduce(0, +) + 3
            let transformer = network.transformerDepths.reduce(0, +)
            let resizes = layers.filter { $0.name.hasSuffix(".resize") || $0.name.hasSuffix(".resize_back") }.count
            #expect(layers.count == 1 + 3 * mv2 + 5 * 3 + 7 * transformer + resizes + 3, "\(network)")
        }
    }

    @Test func attentionCostsTwoProductsOfTokensPatchesAndDimension() throws {
        // XXS at 256: stage 3 runs on a 32x32 map, 1,024 tokens in 256 patches, d = 64.
        let layers = MobileViTv1CostModel.breakdown(of: try MobileViTv1Preset.named("mobilevit-xxs").network)
        let attention = try #require(layers.first { $0.name == "stage3.mobilevit.layer0.attention" })
        #expect(attention.macs == 2 * 1024 * 256 * 64)
        #expect(attention.outputShape == [64, 4, 256])
        #expect(attention.params == 0)
    }

    @Test func oddMapsRunTheTransformerOnTheNextEvenSizeAndKeepTheirSize() throws {
        // 224 -> stage 5 map 7x7, transformer on 8x8 (16 patches).
        let network = try MobileViTv1Network(resolution: 224, basePlan: .s, expansion: 4)
        let layers = MobileViTv1CostModel.breakdown(of: network)
        let byName = Dictionary(uniqueKeysWithValues: layers.map { ($0.name, $0) })
        #expect(byName["stage5.mobilevit.resize"]?.outputShape == [240, 8, 8])
        #expect(byName["stage5.mobilevit.layer0.attention"]?.macs == 2 * 64 * 16 * 240)
        #expect(byName["stage5.mobilevit.fusion"]?.outputShape == [160, 7, 7])
        #expect(byName["head.conv"]?.outputShape == [640, 7, 7])
        #expect(byName["stage4.mobilevit.resize"] == nil)
    }

    @Test func macsGrowWithEveryFactor() throws {
        let base = try MobileViTv1Network(resolution: 256, basePlan: .xs, expansion: 2)
        let macs = { (n: MobileViTv1Network) in MobileViTv1CostModel.cost(of: n).macs }
        let reference = macs(base)
        #expect(macs(try MobileViTv1Network(resolution: 288, basePlan: .xs, expansion: 2)) > reference)
        #expect(macs(try MobileViTv1Network(resolution: 256, basePlan: .xs, width: 1.25, expansion: 2)) > reference)
        #expect(macs(try MobileViTv1Network(resolution: 256, basePlan: .xs, mv2Depths: [2, 3], expansion: 2)) > reference)
        #expect(macs(try MobileViTv1Network(resolution: 256, basePlan: .xs, transformerDepths: [2, 4, 4], expansion: 2)) > reference)
        #expect(macs(try MobileViTv1Network(resolution: 256, basePlan: .xs, expansion: 4)) > reference)
        // One more class: one more row of the 384-wide classifier, and its bias.
        #expect(macs(try MobileViTv1Network(resolution: 256, basePlan: .xs, expansion: 2, classes: 1001)) == reference + 385)
    }
}
