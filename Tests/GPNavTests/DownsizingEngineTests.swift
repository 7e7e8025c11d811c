import Foundation
import GaussianProcess
import MobileViT
import Testing
@testable import GPNav

@Suite("Downsizing formula")
struct DownsizingEngineTests {
    let space = SearchSpace.default

    @Test("the chain starts at the smallest preset above the budget and ends within it",
          arguments: [100_000_000, 200_000_000, 300_000_000, 500_000_000, 1_000_000_000])
    func chainEndsWithinBudget(macs: Int) throws {
        let engine = DownsizingEngine(space: space, budget: Budget(macs: macs))
        let start = try engine.defaultStart()
        let presetMACs = MobileViTv2Family().presets.map { CostModel.cost(of: $0.architecture).macs }
        let expected = MobileViTv2Family().presets[presetMACs.firstIndex { $0 > macs } ?? presetMACs.count - 1].architecture
        #expect(start == expected)

        let chain = try engine.chain(from: start)
        #expect(chain.first?.architecture == start)
        #expect(chain.first?.step == 0)
        let last = try #require(chain.last)
        #expect(last.cost.macs <= macs)
        // Every model before the last is over the budget: the chain stops at the first that fits.
        #expect(chain.dropLast().allSatisfy { $0.cost.macs > macs })
        // "As close under the budget as the grid allows": within a few percent on the default grid.
        #expect(Double(last.cost.macs) >= 0.93 * Double(macs), "last step \(last.cost.macs) vs budget \(macs)")
    }

    @Test("each step shrinks MACs by about the step factor", arguments: [0.8, 0.6])
    func stepsFollowTheStepFactor(stepFactor: Double) throws {
        let engine = DownsizingEngine(space: space, budget: Budget(macs: 100_000_000), stepFactor: stepFactor)
        let chain = try engine.chain(from: MobileViTv2Family().presets[4].architecture)
        #expect(chain.count >= 3)
        for (previous, next) in zip(chain, chain.dropFirst()).dropLast() {
            let ratio = Double(next.cost.macs) / Double(previous.cost.macs)
            #expect(ratio < 1)
            #expect(abs(ratio - stepFactor) < 0.12, "step \(next.step): ratio \(ratio)")
        }
    }

    @Test("a chain never grows a factor")
    func factorsNeverGrow() throws {
        let engine = DownsizingEngine(space: space, budget: Budget(macs: 150_000_000))
        let chain = try engine.chain(from: MobileViTv2Family().presets[6].architecture)
        for (a, b) in zip(chain, chain.dropFirst()) {
            #expect(b.architecture.resolution <= a.architecture.resolution)
            #expect(b.architecture.width <= a.architecture.width)
            #expect(b.architecture.mv2DepthFactor <= a.architecture.mv2DepthFactor)
            #expect(b.architecture.vitDepthFactor <= a.architecture.vitDepthFactor)
        }
    }

    @Test("a budget below the smallest architecture of the space names the smallest MACs")
    func budgetBelowSpace() throws {
        let engine = DownsizingEngine(space: space, budget: Budget(macs: 1_000))
        let smallest = space.smallestCost()
        #expect(throws: SearchError.budgetBelowSpace(smallestMACs: smallest.macs, smallestParams: smallest.params)) {
            try engine.chain(from: engine.defaultStart())
        }
        #expect(SearchError.budgetBelowSpace(smallestMACs: smallest.macs, smallestParams: 1).description.contains("\(smallest.macs)"))
    }

    @Test("a params budget alone drives the chain until the parameters fit")
    func paramsBudget() throws {
        let engine = DownsizingEngine(space: space, budget: Budget(params: 2_000_000))
        let chain = try engine.chain(from: engine.defaultStart())
        let last = try #require(chain.last)
        #expect(last.cost.params <= 2_000_000)
        #expect(chain.dropLast().allSatisfy { $0.cost.params > 2_000_000 })
    }

    @Test("default shares sum to one and favour width and resolution")
    func defaultShares() {
        let shares = FactorExponents.default.values
        #expect(abs(shares.reduce(0, +) - 1) < 1e-12)
        #expect(FactorExponents.default.width > FactorExponents.default.mv2Depth)
    }

    @Test("with a model in which width is costly, the GP-guided shares move the reduction off width")
    func modelGuidedShares() throws {
        // Ground truth: accuracy rises steeply with width only; the other factors barely matter.
        var generator = SplitMix64(seed: 3)
        var observations: [(architecture: Architecture, accuracy: Double)] = []
        let points = space.allPoints
        for _ in 0..<60 {
            let point = points[Int.random(in: 0..<points.count, using: &generator)]
            let architecture = try space.architecture(at: point)
            let accuracy = 60 + 20 * log2(architecture.width / 0.25) / 3 + 0.01 * Double(architecture.resolution) / 384
            observations.append((architecture, accuracy))
        }
        let model = try AccuracyModel.fit(observations, encoding: FactorEncoding(space: space), restarts: 1)
        let engine = DownsizingEngine(space: space, budget: Budget(macs: 300_000_000))
        let chain = try engine.chain(from: MobileViTv2Family().presets[2].architecture, model: model)
        let guided = try #require(chain.dropFirst().first)
        #expect(guided.guidedByModel)
        let shares = try #require(guided.exponents)
        #expect(shares.width < shares.resolution, "shares \(shares)")
        #expect(guided.predictedAccuracy != nil)
        // The chain keeps width and gives up resolution instead.
        let last = try #require(chain.last)
        #expect(last.architecture.width >= 0.75)
    }
}
