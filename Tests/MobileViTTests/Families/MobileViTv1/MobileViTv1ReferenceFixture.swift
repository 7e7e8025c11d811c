import Foundation
import Testing
import MobileViT

/// The reference counts of timm's MobileViT v1 models (fvcore's conv and linear MACs, plus biases,
/// plus attention's two products from the run-time shapes), written by
/// `Experiments/mobilevit-v1/reference_counts.py` to `Tests/MobileViTTests/Fixtures`.
struct MobileViTv1ReferenceFixture: Decodable {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        /// The published model's name (`mobilevit-xxs`), nil for a random network.
        let name: String?
        let resolution: Int
        let base: String
        let width: Double
        let mv2Depths: [Int]
        let transformerDepths: [Int]
        let expansion: Int
        let classes: Int
        let macs: Int
        let params: Int

        private enum CodingKeys: String, CodingKey {
            case name, resolution, base, width, mv2Depths = "mv2_depths", transformerDepths = "transformer_depths"
            case expansion, classes, macs, params
        }

        func network() throws -> MobileViTv1Network {
            guard let plan = MobileViTv1BasePlan(rawValue: base) else { throw FixtureError.unknownBase(base) }
            return try MobileViTv1Network(resolution: resolution, basePlan: plan, width: width, mv2Depths: mv2Depths,
                                          transformerDepths: transformerDepths, expansion: expansion, classes: classes)
        }

        var testDescription: String {
            name ?? "r\(resolution) \(base) w\(width) mv2\(mv2Depths) vit\(transformerDepths) e\(expansion) k\(classes)"
        }
    }

    enum FixtureError: Error { case unknownBase(String) }

    let cases: [Case]

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The fixture's cases; empty when the file is missing or unreadable (a test then fails on the count).
    static let cases: [Case] = {
        let url = directory.appendingPathComponent("MobileViTv1Reference.json")
        guard let data = try? Data(contentsOf: url),
              let fixture = try? JSONDecoder().decode(MobileViTv1ReferenceFixture.self, from: data) else { return [] }
        return fixture.cases
    }()
}
