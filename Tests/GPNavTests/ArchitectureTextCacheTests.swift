import MobileViT
import Testing
@testable import GPNav

/// The store's decoded-architecture cache answers as decoding the text would, every time.
@Suite struct ArchitectureTextCacheTests {
    @Test func eachTextReadsBackAsItsOwnArchitectureOnEveryRead() throws {
        let pool = CandidatePool(space: .default, budget: Budget(macs: 300_000_000))
        let architectures = pool.admitted.prefix(300).map(\.architecture)
            + [try Architecture(family: MobileViTv1Family(), resolution: 256, width: 1, depths: [:], choices: [:])]
        for _ in 0..<2 {
            for architecture in architectures {
                let text = architecture.canonicalJSON
                #expect(try ArchitectureTextCache.architecture(text) == architecture)
                #expect(try ArchitectureTextCache.architecture(text) == Architecture(canonicalJSON: text))
            }
        }
    }

    @Test func textThatHoldsNoArchitectureIsRefusedOnEveryRead() {
        for _ in 0..<2 {
            #expect(throws: ArchitectureError.self) {
                try ArchitectureTextCache.architecture(#"{"family":"mobilevitv2","width":1}"#)
            }
        }
    }
}
