import Foundation
import Testing
@testable import MobileViT

@Suite struct CanonicalJSONTests {
    @Test func mobileViTv2BaseHasTheDocumentedText() throws {
        let base = try Architecture(resolution: 256, width: 1.0)
        #expect(base.canonicalJSON
            == #"{"classes":1000,"family":"mobilevitv2","mv2_depths":[1,2],"resolution":256,"vit_depths":[2,4,3],"width":1}"#)
    }

    @Test func everyArchitectureRoundTripsThroughItsCanonicalText() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let architecture = try Architecture(
                resolution: 2 * Int.random(in: 16...512, using: &generator),
                width: Double(Int.random(in: 2...64, using: &generator)) / 16,
                mv2Depths: (0..<2).map { _ in Int.random(in: 1...8, using: &generator) },
                vitDepths: (0..<3).map { _ in Int.random(in: 1...8, using: &generator) },
                classes: Int.random(in: 1...2000, using: &generator))
            let decoded = try Architecture(canonicalJSON: architecture.canonicalJSON)
            #expect(decoded == architecture)
            #expect(decoded.canonicalJSON == architecture.canonicalJSON)
        }
    }

    @Test func unknownFamiliesAndBrokenTextAreRefused() {
        #expect(throws: ArchitectureError.unknownFamily("resnet")) {
            try Architecture(canonicalJSON: #"{"classes":1000,"family":"resnet","mv2_depths":[1,2],"resolution":256,"vit_depths":[2,4,3],"width":1}"#)
        }
        #expect(throws: ArchitectureError.self) { try Architecture(canonicalJSON: "{") }
        #expect(throws: ArchitectureError.resolution(7)) {
            try Architecture(canonicalJSON: #"{"classes":1000,"family":"mobilevitv2","mv2_depths":[1,2],"resolution":7,"vit_depths":[2,4,3],"width":1}"#)
        }
    }
}
