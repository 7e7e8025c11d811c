import Foundation
import Testing
import MobileViT

/// Validation, presets and the JSON form of a MobileViT v1 network.
@Suite struct MobileViTv1NetworkTests {
    @Test func presetsArePublishedPlansAtPublishedDepthsAndExpansions() throws {
        #expect(MobileViTv1Preset.all.map(\.name) == ["mobilevit-xxs", "mobilevit-xs", "mobilevit-s"])
        let xxs = try MobileViTv1Preset.named("MobileViT-XXS").network
        #expect(xxs == (try MobileViTv1Network(resolution: 256, basePlan: .xxs, width: 1.0, mv2Depths: [1, 3],
                                               transformerDepths: [2, 4, 3], expansion: 2, classes: 1000)))
        #expect(try MobileViTv1Preset.named("mobilevit-s").network.expansion == 4)
    }

    @Test func unknownPresetNamesTheKnownOnes() {
        #expect(throws: MobileViTv1Error.unknownPreset("mobilevit-m")) { try MobileViTv1Preset.named("mobilevit-m") }
        #expect(MobileViTv1Error.unknownPreset("x").description.hasSuffix("mobilevit-xxs, mobilevit-xs, mobilevit-s"))
    }

    @Test func outOfBoundsFactorsAreRefusedWithTheirOwnError() {
        #expect(throws: MobileViTv1Error.resolution(255)) { try MobileViTv1Network(resolution: 255, basePlan: .s, expansion: 4) }
        #expect(throws: MobileViTv1Error.resolution(30)) { try MobileViTv1Network(resolution: 30, basePlan: .s, expansion: 4) }
        #expect(throws: MobileViTv1Error.width(0.1)) {
            try MobileViTv1Network(resolution: 256, basePlan: .s, width: 0.1, expansion: 4)
        }
        let notANumber = #expect(throws: MobileViTv1Error.self) {
            try MobileViTv1Network(resolution: 256, basePlan: .s, width: .nan, expansion: 4)
        }
        #expect(notANumber?.description.hasPrefix("width multiplier nan is invalid") == true)
        #expect(throws: MobileViTv1Error.stageCount(kind: "MV2", expected: 2, got: 3)) {
            try MobileViTv1Network(resolution: 256, basePlan: .s, mv2Depths: [1, 1, 1], expansion: 4)
        }
        #expect(throws: MobileViTv1Error.stageCount(kind: "transformer", expected: 3, got: 2)) {
            try MobileViTv1Network(resolution: 256, basePlan: .s, transformerDepths: [1, 1], expansion: 4)
        }
        #expect(throws: MobileViTv1Error.depth(0)) {
            try MobileViTv1Network(resolution: 256, basePlan: .s, transformerDepths: [2, 0, 3], expansion: 4)
        }
        #expect(throws: MobileViTv1Error.expansion(3)) { try MobileViTv1Network(resolution: 256, basePlan: .s, expansion: 3) }
        #expect(throws: MobileViTv1Error.classes(0)) {
            try MobileViTv1Network(resolution: 256, basePlan: .s, expansion: 4, classes: 0)
        }
    }

    @Test func errorMessagesStateTheRule() {
        #expect(MobileViTv1Error.expansion(3).description == "MV2 expansion ratio 3 is invalid: MobileViT v1 uses 2 or 4")
        #expect(MobileViTv1Error.resolution(255).description
            == "resolution 255 is invalid: it must be an even number of pixels from 32 to 1024")
    }

    @Test func jsonRoundTripsAndDecodingChecksEveryFactor() throws {
        let network = try MobileViTv1Network(resolution: 192, basePlan: .xs, width: 0.75, mv2Depths: [2, 2],
                                             transformerDepths: [1, 3, 2], expansion: 2, classes: 10)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(network), as: UTF8.self)
        #expect(text == #"{"base_plan":"xs","classes":10,"expansion":2,"mv2_depths":[2,2],"resolution":192,"transformer_depths":[1,3,2],"width":0.75}"#)
        #expect(try JSONDecoder().decode(MobileViTv1Network.self, from: Data(text.utf8)) == network)
        let bad = text.replacingOccurrences(of: #""expansion":2"#, with: #""expansion":6"#)
        #expect(throws: MobileViTv1Error.expansion(6)) { try JSONDecoder().decode(MobileViTv1Network.self, from: Data(bad.utf8)) }
        let unknownPlan = text.replacingOccurrences(of: #""xs""#, with: #""m""#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MobileViTv1Network.self, from: Data(unknownPlan.utf8)) }
    }

    @Test func descriptionNamesPlanWidthDepthsAndExpansion() throws {
        #expect(try MobileViTv1Preset.named("mobilevit-xs").network.description == "r256 xs w1.0 mv2(1,3) vit(2,4,3) e4")
        let small = try MobileViTv1Network(resolution: 128, basePlan: .s, width: 0.5, expansion: 2, classes: 10)
        #expect(small.description == "r128 s w0.5 mv2(1,3) vit(2,4,3) e2 classes 10")
    }
}
