import Foundation
import Testing
@testable import GPNavServer

/// The committed code of `Sources/GPNavServer/Generated/` was made from today's openapi.json and
/// generator configuration: its recorded digest is theirs. (CI also runs the generator again and
/// compares the code itself: `Tools/generate-api-code --check`.)
@Suite struct GeneratedAPIDigestTests {
    /// FNV-1a, 64 bits, over `data` continuing from `hash`, as Tools/generate-api-code computes it.
    static func fnv1a(_ data: Data, from hash: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        data.reduce(hash) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }

    @Test func theFNV1aDigestIsTheStandardOne() {
        // Published test vectors of FNV-1a 64 (Fowler, Noll, Vo): "" and "a", and "foobar".
        #expect(Self.fnv1a(Data()) == 0xcbf2_9ce4_8422_2325)
        #expect(Self.fnv1a(Data("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(Self.fnv1a(Data("foobar".utf8)) == 0x8594_4171_f739_67e8)
    }

    @Test func theGeneratedCodeWasMadeFromTodaysDocumentAndConfiguration() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/GPNavServer").standardizedFileURL
        let document = try Data(contentsOf: directory.appendingPathComponent("openapi.json"))
        let configuration = try Data(contentsOf: directory.appendingPathComponent("openapi-generator-config.yaml"))
        let digest = Self.fnv1a(configuration, from: Self.fnv1a(document))
        #expect(digest == GeneratedAPIDigest.value,
                "openapi.json or openapi-generator-config.yaml changed since Sources/GPNavServer/Generated was written: run Tools/generate-api-code")
    }
}
