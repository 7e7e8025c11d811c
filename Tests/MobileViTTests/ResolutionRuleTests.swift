import Testing
import MobileViT

/// Feature-map sizes: ceil for stride 2, odd maps resized up inside MobileViTv2 blocks.
@Suite struct ResolutionRuleTests {
    @Test func input224ResizesTheOdd7x7StageFiveMapTo8x8() throws {
        let layers = CostModel.breakdown(of: try Architecture(resolution: 224, width: 1.0))
        let names = layers.map(\.name)
        #expect(names.filter { $0.hasSuffix(".resize") } == ["stage5.mobilevit.resize"])
        let byName = Dictionary(uniqueKeysWithValues: layers.map { ($0.name, $0) })
        #expect(byName["stage5.mv2.depthwise"]?.outputShape == [768, 7, 7])
        #expect(byName["stage5.mv2.depthwise"]?.macs == 9 * 768 * 49)
        #expect(byName["stage5.mobilevit.resize"]?.outputShape == [512, 8, 8])
        #expect(byName["stage5.mobilevit.resize"]?.macs == 0)
        #expect(byName["stage5.mobilevit.local_depthwise"]?.macs == 9 * 512 * 64)
        #expect(byName["stage5.mobilevit.layer0.qkv"]?.outputShape == [513, 4, 16])
    }

    @Test func resizedMapIsHandedOnToTheNextStage() throws {
        // 200 -> 100 -> 50 -> 25 (resized to 26) -> 13 (resized to 14) -> 7 (resized to 8).
        let layers = CostModel.breakdown(of: try Architecture(resolution: 200, width: 0.5))
        let byName = Dictionary(uniqueKeysWithValues: layers.map { ($0.name, $0) })
        #expect(byName["stage3.mv2.project"]?.outputShape == [128, 25, 25])
        #expect(byName["stage3.mobilevit.fusion"]?.outputShape == [128, 26, 26])
        #expect(byName["stage4.mv2.depthwise"]?.outputShape == [256, 13, 13])
        #expect(byName["stage4.mobilevit.fusion"]?.outputShape == [192, 14, 14])
        #expect(byName["stage5.mv2.depthwise"]?.outputShape == [384, 7, 7])
        #expect(byName["stage5.mobilevit.fusion"]?.outputShape == [256, 8, 8])
    }

    @Test func smallestResolutionResizesA1x1MapTo2x2() throws {
        let layers = CostModel.breakdown(of: try Architecture(resolution: 32, width: 1.0))
        let last = try #require(layers.last { $0.name == "stage5.mobilevit.fusion" })
        #expect(last.outputShape == [512, 2, 2])
    }

    /// Without the classifier (which does not see the map), MACs scale exactly as r^2 when no map
    /// is ever odd, i.e. for multiples of 64 (multiples of 32 with odd r/32, such as 224, resize).
    @Test(arguments: [64, 128, 192, 320, 384, 512, 1024])
    func macsScaleAsResolutionSquared(resolution: Int) throws {
        for width in [0.5, 1.0, 1.75] {
            let base = try Architecture(resolution: 256, width: width)
            let scaled = try Architecture(resolution: resolution, width: width)
            let head = CostModel.breakdown(of: base).last?.macs ?? 0
            let baseMACs = CostModel.cost(of: base).macs - head
            let scaledMACs = CostModel.cost(of: scaled).macs - head
            #expect(scaledMACs * 256 * 256 == baseMACs * resolution * resolution)
        }
    }

    @Test func oddR32MultiplesScaleExactlyUpToTheResize() throws {
        // 224 = 7 x 32: every layer before stage 5's MobileViTv2 block scales as (224/256)^2.
        let at224 = CostModel.breakdown(of: try Architecture(resolution: 224, width: 1.0))
        let at256 = CostModel.breakdown(of: try Architecture(resolution: 256, width: 1.0))
        let prefix = at224.prefix { !$0.name.hasPrefix("stage5.mobilevit") }
        for (small, large) in zip(prefix, at256) {
            #expect(small.name == large.name)
            #expect(small.macs * 256 * 256 == large.macs * 224 * 224, "\(small.name)")
        }
    }
}
