import Foundation
import GaussianProcess
import MobileViT
import Testing
@testable import GPNav

@Suite("Search space, encoding and candidates")
struct SearchSpaceTests {
    @Test("every grid point of the default space is a valid architecture and the encoding maps it into [0, 1]")
    func defaultGrid() throws {
        let space = SearchSpace.default
        try space.validate()
        let encoding = FactorEncoding(space: space)
        #expect(encoding.names.count == 6)
        var seen = Set<Architecture>()
        for point in space.allPoints {
            let architecture = try space.architecture(at: point)
            seen.insert(architecture)
            #expect(space.gridPoint(of: architecture) == point)
            let x = encoding.encode(architecture)
            #expect(x.allSatisfy { $0 >= -1e-12 && $0 <= 1 + 1e-12 })
        }
        // Depth multipliers were chosen so that no two grid points build the same network.
        #expect(seen.count == space.count)
    }

    @Test("without joint factors the encoding has the four global factors only")
    func noJointFactors() throws {
        let encoding = FactorEncoding(space: .default, includeJointFactors: false)
        #expect(encoding.names == FactorEncoding.globalFactorNames)
        #expect(encoding.encode(try Architecture(resolution: 256, width: 1)).count == 4)
    }

    @Test("the joint factor resolution x width is the normalised log of r*w")
    func jointFactorValue() throws {
        let space = SearchSpace.default
        let encoding = FactorEncoding(space: space)
        let low = encoding.encode(try Architecture(resolution: 96, width: 0.25))
        let high = encoding.encode(try Architecture(resolution: 384, width: 2.0))
        #expect(abs(low[5]) < 1e-12)
        #expect(abs(high[5] - 1) < 1e-12)
        let mid = encoding.encode(try Architecture(resolution: 192, width: 1.0))
        // log2(192/256 * 1) between log2(96/256 * 0.25) and log2(384/256 * 2).
        let expected = (log2(0.75) - log2(0.375 * 0.25)) / (log2(3.0) - log2(0.375 * 0.25))
        #expect(abs(mid[5] - expected) < 1e-12)
    }

    @Test("a space with a descending axis or an invalid corner is refused")
    func invalidSpaces() {
        var space = SearchSpace.default
        space.widths = [1.0, 0.5]
        #expect(throws: SearchSpaceError.self) { try space.validate() }
        space = .default
        space.resolutions = [95, 128]
        #expect(throws: SearchSpaceError.self) { try space.validate() }
        space = .default
        space.vitDepthMultipliers = []
        #expect(throws: SearchSpaceError.self) { try space.validate() }
    }

    @Test("the pool, built in slices side by side, holds every admitted grid point in grid order")
    func poolIsEveryAdmittedPointInGridOrder() throws {
        for budget in [Budget(macs: 300_000_000), Budget(macs: 150_000_000, params: 2_000_000), Budget(params: 500_000)] {
            let pool = CandidatePool(space: .default, budget: budget)
            let expected = SearchSpace.default.allPoints.filter { point in
                guard let architecture = try? SearchSpace.default.architecture(at: point) else { return false }
                let cost = CostModel.cost(of: architecture)
                return budget.admits(macs: cost.macs, params: cost.params)
            }
            #expect(pool.admitted.map(\.point) == expected)
            #expect(pool.admitted.map(\.index) == Array(pool.admitted.indices))
            #expect(pool.admitted.allSatisfy { $0.cost == CostModel.cost(of: $0.architecture) })
        }
    }

    @Test("a candidate's kept inputs are its encoding")
    func candidateInputsAreTheEncoding() throws {
        let pool = CandidatePool(space: .default, budget: Budget(macs: 300_000_000))
        let encoding = FactorEncoding(space: .default)
        let inputs = CandidateInputs(pool: pool, encoding: encoding)
        let some = Array(pool.admitted.prefix(40)) + Array(pool.admitted.suffix(40))
        #expect(inputs.rows(for: some) == some.map { encoding.encode($0.architecture) })
        #expect(inputs.rows(for: some.reversed()) == some.reversed().map { encoding.encode($0.architecture) })
    }

    @Test("candidates all meet the budget, use at least half of it, and include the incumbent's neighbours")
    func candidates() throws {
        let budget = Budget(macs: 300_000_000, params: 3_000_000)
        let pool = CandidatePool(space: .default, budget: budget, maximumSize: 500)
        #expect(pool.admitted.allSatisfy { $0.cost.macs <= 300_000_000 && $0.cost.params <= 3_000_000 })
        var generator = SplitMix64(seed: 1)
        let incumbent = try #require(pool.admitted.last { pool.budgetUse($0.cost) > 0.9 })
        let chosen = pool.candidates(excluding: [incumbent.architecture], around: incumbent.architecture, using: &generator)
        #expect(chosen.allSatisfy { budget.admits(macs: $0.cost.macs, params: $0.cost.params) })
        #expect(!chosen.contains { $0.architecture == incumbent.architecture })
        let neighbours = Set(pool.neighbours(of: incumbent.point))
        let admittedNeighbours = pool.admitted.filter { neighbours.contains($0.point) }
        #expect(!admittedNeighbours.isEmpty)
        #expect(admittedNeighbours.allSatisfy { n in chosen.contains { $0.point == n.point } })
        #expect(chosen.count <= 500 + 80)
    }

    @Test("study names derive from the budgets")
    func defaultStudyNames() {
        #expect(StudySettings(budget: Budget(macs: 300_000_000)).defaultStudyName == "macs-300M")
        #expect(StudySettings(budget: Budget(macs: 1_500_000_000, params: 2_000_000)).defaultStudyName == "macs-1.50G-params-2.00M")
        #expect(StudySettings(space: SearchSpace(family: MobileViTv1Family()), budget: Budget(macs: 300_000_000)).defaultStudyName == "mobilevit-macs-300M")
        #expect(StudySettings(space: SearchSpace(family: MobileViTv1Family())).defaultStudyName == "mobilevit-search")
    }
}
