import Testing
import MobileViT

/// Single layers of MobileViTv2-1.0 counted by hand from the reference definition.
@Suite struct LayerCountTests {
    static func layer(_ name: String, resolution: Int = 256, width: Double = 1.0,
                      convention: CountingConvention = .published) throws -> LayerCost {
        let layers = CostModel.breakdown(of: try Architecture(resolution: resolution, width: width), convention: convention)
        return try #require(layers.first { $0.name == name }, "no layer \(name)")
    }

    struct HandCount: Sendable, CustomTestStringConvertible {
        let name: String
        let shape: [Int]
        let macs: Int
        let params: Int
        var testDescription: String { name }
    }

    static let handCounts: [HandCount] = [
        // 3x3 stride 2, 3 -> 32 at 128x128: 9*3*32*128^2; weights 864 + BatchNorm 64.
        HandCount(name: "stem", shape: [32, 128, 128], macs: 14_155_776, params: 928),
        // 1x1 32 -> 64 at 128x128: 32*64*16384; 2048 + 128.
        HandCount(name: "stage1.block0.expand", shape: [64, 128, 128], macs: 33_554_432, params: 2_176),
        // depthwise 3x3 on 64 channels at 128x128: 9*64*16384; 576 + 128.
        HandCount(name: "stage1.block0.depthwise", shape: [64, 128, 128], macs: 9_437_184, params: 704),
        // stage 2 first block, stride 2: depthwise on 128 hidden channels, 64x64 out.
        HandCount(name: "stage2.block0.depthwise", shape: [128, 64, 64], macs: 4_718_592, params: 1_408),
        // d = 128 on 32x32 = 1024 tokens: (128*257 + 257) * 1024; params 128*257 + 257.
        HandCount(name: "stage3.mobilevit.layer0.qkv", shape: [257, 4, 256], macs: 33_948_672, params: 33_153),
        HandCount(name: "stage3.mobilevit.layer1.attention", shape: [128, 4, 256], macs: 0, params: 0),
        HandCount(name: "stage3.mobilevit.layer0.norm1", shape: [128, 4, 256], macs: 0, params: 256),
        // stage 5: d = 256, f = 512, 8x8 = 64 tokens: (256*512 + 512) * 64.
        HandCount(name: "stage5.mobilevit.layer2.ffn_expand", shape: [512, 4, 16], macs: 8_421_376, params: 131_584),
        // 1x1 d=256 -> C=512 at 8x8 with BatchNorm: 256*512*64; 131072 + 1024.
        HandCount(name: "stage5.mobilevit.fusion", shape: [512, 8, 8], macs: 8_388_608, params: 132_096),
        // linear 512 -> 1000 with bias: 513,000 MACs and parameters.
        HandCount(name: "head.classifier", shape: [1000], macs: 513_000, params: 513_000),
    ]

    @Test(arguments: handCounts)
    func layerMatchesHandCount(_ expected: HandCount) throws {
        let layer = try Self.layer(expected.name)
        #expect(layer.outputShape == expected.shape)
        #expect(layer.macs == expected.macs)
        #expect(layer.params == expected.params)
    }

    @Test func fullConventionAddsBatchNormAndAttentionElementwiseWork() throws {
        // Stem: + 1 MAC per output element for BatchNorm: 32*128*128.
        #expect(try Self.layer("stem", convention: .full).macs == 14_155_776 + 524_288)
        // Attention on 1024 tokens, d = 128: softmax 2*1024 + context 128*1024 + gating 128*1024.
        #expect(try Self.layer("stage3.mobilevit.layer0.attention", convention: .full).macs == 264_192)
        // LayerNorm: 3 per element, 128*1024 elements.
        #expect(try Self.layer("stage3.mobilevit.layer0.norm1", convention: .full).macs == 393_216)
        // out_project adds its residual: (128*128 + 128 + 128) * 1024.
        #expect(try Self.layer("stage3.mobilevit.layer0.out_project", convention: .full).macs == 17_039_360)
        // Pooling 512 x 8 x 8.
        #expect(try Self.layer("head.pool", convention: .full).macs == 32_768)
        // Parameters never depend on the convention.
        let arch = try Architecture(resolution: 256, width: 1.0)
        #expect(CostModel.cost(of: arch, convention: .full).params == CostModel.cost(of: arch).params)
    }

    @Test func stage1ShortcutCountsOnlyUnderFullConvention() throws {
        // Stage 1 maps 32 -> 64 channels, so its first block has no shortcut; stage 2's second does.
        let first = try Self.layer("stage1.block0.project", convention: .full)
        #expect(first.macs == 64 * 64 * 16384 + 64 * 16384)  // conv + BatchNorm, no residual
        let second = try Self.layer("stage2.block1.project", convention: .full)
        #expect(second.macs == 256 * 128 * 4096 + 2 * 128 * 4096)  // conv + BatchNorm + residual
    }
}
