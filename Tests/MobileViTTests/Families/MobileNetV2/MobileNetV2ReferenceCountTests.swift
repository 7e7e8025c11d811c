import Testing
import MobileViT

/// MobileNetV2 counts against torchvision's model as counted outside gpnav
/// (`Experiments/mobilenet-v2/reference_counts.py`), and breakdowns and plans against totals.
@Suite struct MobileNetV2ReferenceCountTests {
    @Test func fixtureHoldsSixPublishedWidthsAtThreeResolutionsAndTwelveRandomNetworks() {
        let cases = MobileNetV2ReferenceFixture.cases
        #expect(cases.count == 30)
        let published = cases.filter { $0.name != nil }
        #expect(Set(published.map(\.width)) == Set(MobileNetV2Family.publishedWidths))
        #expect(Set(published.map(\.resolution)) == [96, 160, 224])
        #expect(published.count == 18)
    }

    @Test(arguments: MobileNetV2ReferenceFixture.cases)
    func totalsEqualTorchvisionModelCountedByFvcore(_ reference: MobileNetV2ReferenceFixture.Case) throws {
        let architecture = try reference.architecture()
        #expect(CostModel.cost(of: architecture) == Cost(macs: reference.macs, params: reference.params))
        #expect(CostModel.cost(of: architecture, convention: .full).macs == reference.fullMACs)
    }

    @Test func presetsAreThePublishedWidthsAt224WithTorchvisionsCounts() throws {
        let presets = MobileNetV2Family().presets
        #expect(presets.map(\.architecture.width) == MobileNetV2Family.publishedWidths)
        #expect(presets.allSatisfy { $0.architecture.resolution == 224 && $0.publishedTop1 != nil })
        let base = try Preset.named("mobilenetv2-1").architecture
        #expect(CostModel.cost(of: base) == Cost(macs: 300_775_272, params: 3_504_872))
        #expect(try MobileNetV2Family().baseArchitecture() == base)
    }

    @Test(arguments: CountingConvention.allCases)
    func breakdownSumsEqualTotalsOnRandomNetworks(convention: CountingConvention) throws {
        var random = SplitMix64(seed: 0x6d6e_7632 + UInt64(convention == .full ? 1 : 0))
        for _ in 0..<200 {
            let architecture = try Architecture(
                family: MobileNetV2Family(), resolution: 2 * Int.random(in: 16...512, using: &random),
                width: Double.random(in: 0.125...4, using: &random),
                depths: ["depths": (0..<7).map { _ in Int.random(in: 1...6, using: &random) }],
                classes: Int.random(in: 1...5000, using: &random))
            let layers = CostModel.breakdown(of: architecture, convention: convention)
            let total = CostModel.cost(of: architecture, convention: convention)
            #expect(layers.reduce(0) { $0 + $1.macs } == total.macs, "\(architecture)")
            #expect(layers.reduce(0) { $0 + $1.params } == total.params, "\(architecture)")
            // 3 layers per block but 2 in stage 1 (expansion 1: no expand conv), stem and 3 head layers.
            let blocks = architecture.depthLists[0]
            #expect(layers.count == 1 + 3 * blocks.reduce(0, +) - blocks[0] + 3, "\(architecture)")
        }
    }

    @Test func channelPlanListsEveryBlockWithTorchvisionsRounding() throws {
        // Width 0.35: stem make_divisible(11.2) = 16, stage 1 make_divisible(5.6) = 8, the last
        // conv stays 1280 (torchvision never narrows it).
        let architecture = try Architecture(family: MobileNetV2Family(), resolution: 224, width: 0.35)
        let text = CostModel.channelPlan(of: architecture).canonicalText
        #expect(text.hasPrefix(#"{"classifier":{"classes":1000,"in":1280},"head":{"in":112,"out":1280},"#), "\(text)")
        #expect(text.contains(#"{"inverted_residuals":[{"hidden":16,"in":16,"out":8,"stride":1}]}"#), "\(text)")
        #expect(text.hasSuffix(#""stem":16}"#), "\(text)")
    }

    @Test func macsGrowWithEveryFactor() throws {
        let family = MobileNetV2Family()
        let macs = { (r: Int, w: Double, d: [Int]) in
            CostModel.cost(of: try Architecture(family: family, resolution: r, width: w, depths: ["depths": d])).macs
        }
        let base = try macs(224, 1.0, [1, 2, 3, 4, 3, 3, 1])
        #expect(try macs(240, 1.0, [1, 2, 3, 4, 3, 3, 1]) > base)
        #expect(try macs(224, 1.05, [1, 2, 3, 4, 3, 3, 1]) > base)
        for stage in 0..<7 {
            var depths = [1, 2, 3, 4, 3, 3, 1]
            depths[stage] += 1
            #expect(try macs(224, 1.0, depths) > base, "stage \(stage + 1)")
        }
    }
}
