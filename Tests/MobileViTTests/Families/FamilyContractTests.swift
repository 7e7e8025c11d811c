import Foundation
import Testing
import MobileViT

/// What every registered family promises, whatever it is: the tests a new family passes by
/// registering, with no test naming it.
@Suite struct FamilyContractTests {
    static let families = ArchitectureFamilies.names

    private func family(_ name: String) throws -> any ArchitectureFamily { try ArchitectureFamilies.named(name) }

    @Test(arguments: families)
    func factorsStartWithResolutionMeasuredFromTheBaseResolutionThenWidth(_ name: String) throws {
        let family = try family(name)
        #expect(family.factors.count >= 2)
        #expect(family.factors.first?.kind == .resolution)
        #expect(family.factors.first?.reference == Double(family.baseResolution))
        #expect(family.factors.dropFirst().first?.kind == .width)
        #expect(Set(family.factors.map(\.name)).count == family.factors.count)
        #expect(Set(family.factors.map(\.spaceKey)).count == family.factors.count)
        #expect(try family.baseArchitecture().resolution == family.baseResolution)
    }

    @Test(arguments: families)
    func presetsRoundTripThroughTheirNamesAndCanonicalJSON(_ name: String) throws {
        let family = try family(name)
        #expect(!family.presets.isEmpty)
        for preset in family.presets {
            #expect(try Preset.named(preset.name) == preset)
            #expect(preset.architecture.familyName == name)
            let json = preset.architecture.canonicalJSON
            #expect(json.contains(#""family":"\#(name)""#))
            #expect(try Architecture(canonicalJSON: json) == preset.architecture)
            let plain = try JSONDecoder().decode(Architecture.self, from: JSONEncoder().encode(preset.architecture))
            #expect(plain == preset.architecture)
        }
        let costs = family.presets.map { CostModel.cost(of: $0.architecture).macs }
        #expect(costs == costs.sorted(), "presets are listed smallest first")
    }

    @Test(arguments: families)
    func breakdownsSumToTotalsAndPlansAreNonEmptyAtEveryGridCorner(_ name: String) throws {
        let family = try family(name)
        let corners = [family.factors.map { $0.defaultGrid[0] }, family.factors.map { $0.defaultGrid[$0.defaultGrid.count - 1] }]
        for values in corners {
            let architecture = try Architecture(family: family, factorValues: values)
            for convention in family.conventions {
                let total = CostModel.cost(of: architecture, convention: convention)
                let layers = CostModel.breakdown(of: architecture, convention: convention)
                #expect(total.macs > 0 && total.params > 0)
                #expect(layers.reduce(0) { $0 + $1.macs } == total.macs)
                #expect(layers.reduce(0) { $0 + $1.params } == total.params)
            }
            #expect(CostModel.channelPlan(of: architecture).canonicalText.count > 20)
        }
    }

    @Test(arguments: families)
    func calibratedAccuracyIsAPercentageThatRisesWithEveryFactor(_ name: String) throws {
        let family = try family(name)
        let middle = family.factors.map { $0.defaultGrid[($0.defaultGrid.count - 1) / 2] }
        let base = family.calibratedAccuracy(of: try Architecture(family: family, factorValues: middle))
        #expect(base.isFinite && base > 0 && base < 100)
        for (index, factor) in family.factors.enumerated() {
            var higher = middle
            higher[index] = factor.defaultGrid[(factor.defaultGrid.count - 1) / 2 + 1]
            let accuracy = family.calibratedAccuracy(of: try Architecture(family: family, factorValues: higher))
            #expect(accuracy > base, "\(factor.name)")
        }
        for preset in family.presets {
            guard let top1 = preset.publishedTop1 else { continue }
            #expect(abs(family.calibratedAccuracy(of: preset.architecture) - top1) < 1.5, "\(preset.name)")
        }
    }
}
