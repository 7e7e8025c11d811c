import Foundation
import Testing
import MobileViT

/// The reference counts of torchvision's MobileNetV2 (fvcore's conv and linear MACs plus biases;
/// `full_macs` adds BatchNorm, residual adds and pooling), written by
/// `Experiments/mobilenet-v2/reference_counts.py` to `Tests/MobileViTTests/Fixtures`.
struct MobileNetV2ReferenceFixture: Decodable {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        /// torchvision's call for a published width (`torchvision mobilenet_v2(width_mult=1.0)`),
        /// nil for a random network.
        let name: String?
        let resolution: Int
        let width: Double
        let depths: [Int]
        let classes: Int
        let macs: Int
        let params: Int
        let fullMACs: Int

        private enum CodingKeys: String, CodingKey {
            case name, resolution, width, depths, classes, macs, params, fullMACs = "full_macs"
        }

        func architecture() throws -> Architecture {
            try Architecture(family: MobileNetV2Family(), resolution: resolution, width: width,
                             depths: ["depths": depths], classes: classes)
        }

        var testDescription: String {
            "r\(resolution) w\(width) depths\(depths) k\(classes)" + (name == nil ? "" : " (published)")
        }
    }

    let cases: [Case]

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The fixture's cases; empty when the file is missing or unreadable (a test then fails on the count).
    static let cases: [Case] = {
        let url = directory.appendingPathComponent("MobileNetV2Reference.json")
        guard let data = try? Data(contentsOf: url),
              let fixture = try? JSONDecoder().decode(MobileNetV2ReferenceFixture.self, from: data) else { return [] }
        return fixture.cases
    }()
}
