import Foundation
import GaussianProcess
import MobileViT
import Testing
@testable import GPNav

/// Proposals under a latency budget respect it before anything is measured: expected improvement
/// is weighted by the probability of being admitted (constrained EI), and the downsizing chain
/// starts where the device's latency estimate puts the budget.
@Suite("Latency-constrained proposals")
struct LatencyConstrainedProposalTests {
    static let budget = StudyModelPosteriorCacheTests.budget
    static let pool = StudyModelPosteriorCacheTests.pool
    static let target = LatencyTarget(device: "edge", runtime: "onnxruntime", threads: 1)

    /// A screen whose only measurement is of `measured` at 10 ms (spread 0), so that its estimate of
    /// any other architecture is 10 ms x its MACs / `measured`'s (the proportional estimate).
    static func screen(maxMs: Double, measured: Architecture) -> LatencyScreen {
        var screen = LatencyScreen(budget: LatencyBudget(maxMs: maxMs, device: "edge", admissionSpreads: 0), target: target)
        screen.read([LatencyMeasurement(target: target, architecture: measured, latencyMs: 10, spreadMs: 0,
                                        measuredAt: Date(timeIntervalSince1970: 0))], family: MobileViTv2Family())
        return screen
    }

    @Test func theCandidateWithTheHighestEIIsPassedOverWhenTheLatencyModelPredictsItOverTheBudget() throws {
        let trials = StudyModelPosteriorCacheTests.trials(8, seed: 4)
        let model = try StudyModelPosteriorCacheTests.fit(trials[...], kernel: StudyModelPosteriorCacheTests.kernel(lengthScale: 1))
        let taken = Set(trials.map(\.architecture))
        let acquisition = AcquisitionProposer(pool: Self.pool)
        var generator = SplitMix64(seed: 9)
        let unconstrained = try #require(acquisition.propose(model: model, evaluated: trials, taken: taken, using: &generator))
        // Its latency is estimated at 1.25 x the budget; half the pool is estimated within it.
        let measured = try #require(trials.first).architecture
        let perMAC = 10 / Double(CostModel.cost(of: measured).macs)
        let screen = Self.screen(maxMs: 0.8 * perMAC * Double(unconstrained.candidate.cost.macs), measured: measured)
        #expect(screen.logAdmissionProbability(of: unconstrained.candidate.architecture,
                                               macs: unconstrained.candidate.cost.macs) < log(0.5))
        generator = SplitMix64(seed: 9)
        let constrained = try #require(acquisition.propose(
            model: model, evaluated: trials, taken: taken,
            logFeasibility: { screen.logAdmissionProbability(of: $0.architecture, macs: $0.cost.macs) }, using: &generator))
        #expect(constrained.candidate != unconstrained.candidate)
        let feasibility = screen.logAdmissionProbability(of: constrained.candidate.architecture, macs: constrained.candidate.cost.macs)
        #expect(feasibility > log(0.5), "the chosen one is more likely within the budget than not")
        // Ranked by log EI + log P(admitted), the unconstrained pick's EI is no smaller.
        let chosenEI = constrained.logExpectedImprovement - feasibility
        #expect(chosenEI <= unconstrained.logExpectedImprovement + 1e-9)
    }

    @Test func twoCandidatesOfEqualEIAreOrderedByTheirProbabilityOfBeingWithinTheBudget() throws {
        let sorted = Self.pool.admitted.sorted { $0.cost.macs < $1.cost.macs }
        let measured = sorted[sorted.count / 2].architecture
        let screen = Self.screen(maxMs: 10, measured: measured)
        let within = Self.pool.admitted.first { 2 * $0.cost.macs < CostModel.cost(of: measured).macs }
        let over = Self.pool.admitted.first { $0.cost.macs > CostModel.cost(of: measured).macs }
        let small = try #require(within)
        let large = try #require(over)
        let logEI = -1.5
        #expect(logEI + screen.logAdmissionProbability(of: small.architecture, macs: small.cost.macs)
                > logEI + screen.logAdmissionProbability(of: large.architecture, macs: large.cost.macs))
        #expect(screen.logAdmissionProbability(of: measured, macs: CostModel.cost(of: measured).macs) == 0,
                "measured within the budget: admitted for sure")
    }

    @Test func theDownsizingChainStartsWhereTheLatencyEstimatePutsTheBudget() throws {
        let settings = ProposerSettings(stepFactor: DownsizingEngine.defaultStepFactor, jointFactors: false, start: nil)
        var snapshot = StudySnapshot(name: "s", space: .default, budget: Self.budget, seed: 1, targetTrials: 8,
                                     settings: settings, trials: [])
        let macsOnly = try DownsizingChainProposer(snapshot: snapshot, guide: nil)
        guard case .proposal(let end) = macsOnly.propose(for: snapshot) else {
            Issue.record("the chain proposes its end")
            return
        }
        // Measured: the MACs chain's end at 10 ms; the budget is 6 ms.
        snapshot.latency = Self.screen(maxMs: 6, measured: end.architecture)
        guard case .proposal(let bounded) = macsOnly.propose(for: snapshot) else {
            Issue.record("the latency study's chain proposes")
            return
        }
        let estimate = try #require(snapshot.latency?.estimate(of: bounded.architecture, macs: bounded.cost.macs))
        #expect(estimate.latencyMs <= 6)
        #expect(bounded.cost.macs < end.cost.macs)
        #expect(bounded.proposal.kind == .downsize)
    }
}
