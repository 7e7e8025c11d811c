import Foundation
import Testing
import MobileViT

/// The registry and the v1 adapter: one seam, every family counted by its own network.
@Suite struct ArchitectureFamiliesTests {
    @Test func everyRegisteredFamilyIsFoundByItsNameInAnySpellingAndUnknownNamesAreRefused() throws {
        #expect(Set(ArchitectureFamilies.names).count == ArchitectureFamilies.names.count)
        #expect(ArchitectureFamilies.standard.name == "mobilevitv2")
        for name in ArchitectureFamilies.names {
            #expect(name == name.lowercased())
            #expect(try ArchitectureFamilies.named(name.uppercased()).name == name)
        }
        #expect(throws: ArchitectureError.unknownFamily("resnet")) { try ArchitectureFamilies.named("resnet") }
    }

    @Test func v1PresetsThroughTheFamilyHaveTimmsParameterCounts() throws {
        let counts = try ["mobilevit-xxs", "mobilevit-xs", "mobilevit-s"].map { CostModel.cost(of: try Preset.named($0).architecture).params }
        #expect(counts == [1_272_024, 2_317_848, 5_578_632])
        for preset in MobileViTv1Family().presets {
            let network = try MobileViTv1Network(preset.architecture)
            #expect(CostModel.cost(of: preset.architecture) == MobileViTv1CostModel.cost(of: network))
        }
    }

    @Test func v1ArchitecturesRoundTripThroughCanonicalJSONWithLabelledChoices() throws {
        let xxs = try Preset.named("mobilevit-xxs").architecture
        #expect(xxs.canonicalJSON.contains(#""base_plan":"xxs""#))
        #expect(xxs.canonicalJSON.contains(#""expansion":2"#))
        #expect(xxs.canonicalJSON.contains(#""family":"mobilevit""#))
        #expect(try Architecture(canonicalJSON: xxs.canonicalJSON) == xxs)
        let plain = try JSONDecoder().decode(Architecture.self, from: JSONEncoder().encode(xxs))
        #expect(plain == xxs)
        #expect(throws: ArchitectureError.self) {
            try Architecture(canonicalJSON: xxs.canonicalJSON.replacingOccurrences(of: #""expansion":2"#, with: #""expansion":3"#))
        }
    }

    @Test func everyGridCornerOfEachFamilysDefaultFactorsIsValid() throws {
        for family in ArchitectureFamilies.all {
            let first = family.factors.map { $0.defaultGrid[0] }
            let last = family.factors.map { $0.defaultGrid[$0.defaultGrid.count - 1] }
            _ = try Architecture(family: family, factorValues: first)
            _ = try Architecture(family: family, factorValues: last)
            #expect(abs(family.factors.map(\.defaultShare).reduce(0, +) - 1) < 1e-12, "\(family.name)")
        }
    }
}
