import Testing
import MobileViT

/// Every invalid factor is refused with its own error.
@Suite struct ArchitectureValidationTests {
    @Test(arguments: [
        (0, ArchitectureError.resolution(0)), (31, .resolution(31)), (30, .resolution(30)),
        (257, .resolution(257)), (1026, .resolution(1026)), (-256, .resolution(-256)),
    ])
    func resolutionMustBeEvenAndInRange(resolution: Int, error: ArchitectureError) {
        #expect(throws: error) { try Architecture(resolution: resolution, width: 1.0) }
    }

    @Test(arguments: [0.0, -1.0, 0.1, 4.01, Double.nan, Double.infinity])
    func widthMustBeFiniteAndInRange(width: Double) {
        #expect(throws: ArchitectureError.self) { try Architecture(resolution: 256, width: width) }
    }

    @Test func depthsAndClassesAreChecked() {
        #expect(throws: ArchitectureError.depth(0)) { try Architecture(resolution: 256, width: 1, mv2Depths: [0, 2]) }
        #expect(throws: ArchitectureError.depth(-1)) { try Architecture(resolution: 256, width: 1, vitDepths: [2, -1, 3]) }
        #expect(throws: ArchitectureError.depth(65)) { try Architecture(resolution: 256, width: 1, vitDepths: [2, 65, 3]) }
        #expect(throws: ArchitectureError.stageCount(kind: "MV2", expected: 2, got: 3)) {
            try Architecture(resolution: 256, width: 1, mv2Depths: [1, 2, 3])
        }
        #expect(throws: ArchitectureError.stageCount(kind: "attention", expected: 3, got: 2)) {
            try Architecture(resolution: 256, width: 1, vitDepths: [2, 4])
        }
        #expect(throws: ArchitectureError.classes(0)) { try Architecture(resolution: 256, width: 1, classes: 0) }
        #expect(throws: ArchitectureError.depthMultiplier(0)) {
            try Architecture(resolution: 256, width: 1, mv2DepthMultiplier: 0, vitDepthMultiplier: 1)
        }
        #expect(throws: ArchitectureError.unknownPreset("mobilevitv2-3.0")) { try Preset.named("mobilevitv2-3.0") }
    }

    @Test func depthMultiplierRoundsHalfAwayFromZeroWithAtLeastOne() throws {
        #expect(try Architecture.scaledDepths([1, 2], by: 1.5) == [2, 3])
        #expect(try Architecture.scaledDepths([2, 4, 3], by: 0.5) == [1, 2, 2])  // 1.5 -> 2
        #expect(try Architecture.scaledDepths([2, 4, 3], by: 0.1) == [1, 1, 1])
    }

    @Test func errorMessagesNameTheBadValue() {
        #expect(ArchitectureError.resolution(257).description.contains("257"))
        #expect(ArchitectureError.unknownPreset("x").description.contains("mobilevitv2-1.0"))
    }
}
