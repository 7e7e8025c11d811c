import Testing
@testable import MobileViT

/// Counts checked against MobileViTv2's published figures (reference CSV) and hand computation.
@Suite struct PublishedCountsTests {
    /// Published parameter counts in millions, rounded to 0.1 M (ml-cvnets model zoo).
    static let publishedParams: [(width: Double, millions: Double)] = [
        (0.5, 1.4), (0.75, 2.9), (1.0, 4.9), (1.25, 7.5), (1.5, 10.6), (1.75, 14.3), (2.0, 18.4),
    ]

    @Test(arguments: publishedParams)
    func presetParameterCountRoundsToPublishedMillions(width: Double, millions: Double) throws {
        let preset = try Preset.named("mobilevitv2-\(formatWidth(width))")
        let params = CostModel.cost(of: preset.architecture).params
        let rounded = (Double(params) / 1e6 * 10).rounded() / 10
        #expect(rounded == millions, "\(preset.name): \(params) parameters")
    }

    @Test func baseModelAt256CountsAbout1Point8GMACs() throws {
        let cost = CostModel.cost(of: try Architecture(resolution: 256, width: 1.0))
        #expect(cost.macs == 1_815_142_568)
        #expect(cost.params == 4_901_841)
        #expect(Quantity.formatCount(cost.macs) == "1.82 G")
    }

    @Test func allSevenPresetsExistInWidthOrder() {
        #expect(MobileViTv2Family().presets.map(\.architecture.width) == [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0])
        #expect(MobileViTv2Family().presets.allSatisfy { $0.architecture.resolution == 256 })
    }

    /// Channel widths of ml-cvnets' `make_divisible` at the published widths.
    @Test func channelPlanMatchesMakeDivisible() {
        let half = ChannelPlan(width: 0.5)
        #expect(half.stem == 16)
        #expect(half.stages.0 == 32 && half.stages.1 == 64 && half.stages.4 == 256)
        #expect(half.attention.0 == 64 && half.attention.2 == 128)
        let wide = ChannelPlan(width: 1.75)
        #expect(wide.stem == 56)  // 32 x 1.75 = 56
        #expect(wide.stages.0 == 112)  // 64 x 1.75 = 112, a multiple of 16
        #expect(wide.attention.1 == 336)  // 192 x 1.75
        #expect(ChannelPlan(width: 4).stem == 64)  // clamped to 64
        #expect(ChannelPlan(width: 0.125).stages.0 == 16)  // 8 rounds up to the minimum 16
        #expect(ChannelPlan.round8(19, divisor: 16) == 32)  // 16 < 0.9 x 19, so one step more
        #expect(ChannelPlan.feedForward(136) == 272)
    }

    @Test func weightBytesRoundUpToWholeBytes() {
        let cost = Cost(macs: 0, params: 4_901_841)
        #expect(cost.weightBytes(bits: 32) == 19_607_364)
        #expect(cost.weightBytes(bits: 16) == 9_803_682)
        #expect(cost.weightBytes(bits: 8) == 4_901_841)
        #expect(cost.weightBytes(bits: 6) == 3_676_381)  // 29,411,046 bits / 8 = 3,676,380.75
        #expect(cost.weightBytes(bits: 4) == 2_450_921)  // 19,607,364 / 8 = 2,450,920.5
        #expect(cost.weightBytes(bits: 0) == 0)
    }
}
