import Foundation
import MobileViT
import Testing
@testable import GPNav

/// A study trains the downsizing chain's in-budget end and at most one model above its budgets.
@Suite("Downsizing chain proposer")
struct DownsizingChainProposerTests {
    let scratch: ScratchDirectory
    let budget = Budget(macs: 100_000_000)

    init() throws {
        scratch = try ScratchDirectory()
    }

    func snapshot(_ trials: [Trial] = []) -> StudySnapshot {
        StudySnapshot(name: "s", space: .default, budget: budget, seed: 0, targetTrials: 12,
                      settings: ProposerSettings(stepFactor: 0.8, jointFactors: true, start: nil), trials: trials)
    }

    func trial(_ number: Int, _ step: DownsizingStep, state: TrialState = .complete) -> Trial {
        Trial(studyID: 1, number: number, state: state, architecture: step.architecture, macs: step.cost.macs,
              params: step.cost.params, accuracy: state == .complete ? 60 : nil,
              proposal: Proposal(kind: step.step == 0 ? .start : .downsize, step: step.step),
              startedAt: Date(), finishedAt: state == .complete ? Date() : nil, heartbeatAt: Date(), worker: "w")
    }

    func proposed(_ outcome: ProposerOutcome) -> Architecture? {
        if case .proposal(let proposal) = outcome { return proposal.architecture }
        return nil
    }

    /// The whole chain, as the engine computes it for the default start.
    func chain() throws -> [DownsizingStep] {
        let engine = DownsizingEngine(space: .default, budget: budget)
        return try engine.chain(from: engine.defaultStart())
    }

    /// What `proposer` proposes from `start` on, each proposal taken as a complete trial, until it
    /// has nothing left (at most 20).
    func proposals(_ proposer: DownsizingChainProposer, from start: StudySnapshot) -> [Architecture] {
        var current = start
        var proposed: [Architecture] = []
        while proposed.count < 20, let next = self.proposed(proposer.propose(for: current)) {
            proposed.append(next)
            current.trials.append(trial(current.trials.count, DownsizingStep(
                step: 1, architecture: next, cost: CostModel.cost(of: next), exponents: nil, guidedByModel: false)))
        }
        return proposed
    }

    func admitted(_ architecture: Architecture) -> Bool {
        let cost = CostModel.cost(of: architecture)
        return budget.admits(macs: cost.macs, params: cost.params)
    }

    @Test func theInBudgetEndComesFirstThenTheStartModelThenModelsBelowTheBudgetDownToItsHalf() throws {
        let chain = try chain()
        #expect(chain.count >= 6, "a long chain: \(chain.count) models")
        let proposer = try DownsizingChainProposer(snapshot: snapshot(), guide: nil)
        let proposed = proposals(proposer, from: snapshot())
        // At most as many as the old default trained (the chain thinned to half the target of 12).
        #expect(proposed.count >= 3 && proposed.count <= 6, "\(proposed.count) proposed")
        #expect(proposed.first == chain.last?.architecture)
        #expect(proposed.dropFirst().first == chain.first?.architecture)
        #expect(proposed.filter { !admitted($0) }.count == 1)
        let endMACs = try #require(chain.last).cost.macs
        let below = proposed.dropFirst(2).map { CostModel.cost(of: $0).macs }
        #expect(below == below.sorted(by: >) && below.allSatisfy { $0 < endMACs && 2 * $0 >= 100_000_000 }, "\(below)")
    }

    @Test func aStudyWithATrialAboveItsBudgetAlreadyGetsNoOtherOne() throws {
        // An older gpnav trained the chain from its start: two models above the budget.
        let chain = try chain()
        let old = snapshot([trial(0, chain[0]), trial(1, chain[1])])
        let proposer = try DownsizingChainProposer(snapshot: old, guide: nil)
        let proposed = proposals(proposer, from: old)
        #expect(proposed.first == chain.last?.architecture)
        #expect(proposed.allSatisfy(admitted))
    }

    func search(_ file: String, trials: Int, resume: Bool = false) throws -> ArchitectureSearch {
        let store = try SQLiteTrialStore(path: scratch.path(file), access: .readWrite(createIfMissing: true))
        let configuration = SearchConfiguration(studyName: "s", settings: StudySettings(budget: budget, targetTrials: trials, seed: 1),
                                                resume: resume)
        return ArchitectureSearch(store: store, evaluator: TrainingSimulator(seed: 1), configuration: configuration)
    }

    @Test func aLocalSearchTrainsAtMostOneModelAboveItsBudget() async throws {
        let report = try await try search("local.sqlite", trials: 12).run()
        #expect(report.trials.count == 12)
        let above = report.trials.filter { !budget.admits(macs: $0.macs, params: $0.params) }
        #expect(above.count == 1)
        #expect(report.trials.first?.macs == (try chain()).last?.cost.macs)
    }

    @Test func anOldStudyThatTrainedTheChainFromItsStartResumesWithoutAnotherModelAboveItsBudget() async throws {
        let store = try SQLiteTrialStore(path: scratch.path("old.sqlite"), access: .readWrite(createIfMissing: true))
        let settings = StudySettings(budget: budget, targetTrials: 12, seed: 1, evaluator: "test")
        let session = try await StudySession.open(store: store, name: "s", settings: settings, mode: .create, leaseSeconds: 120)
        let studyID = try #require(session.study.id)
        // As the old default left it after 3 trials: the chain's first three models, all above budget.
        let chain = try chain()
        var old = chain.prefix(3).enumerated().map { trial($0.offset, $0.element) }
        for index in old.indices { old[index].studyID = studyID }
        _ = try store.addFinishedTrials(old)
        let report = try await try search("old.sqlite", trials: 12, resume: true).run()
        #expect(report.trials.filter { $0.state == .complete }.count == 12)
        let new = report.trials.dropFirst(3)
        #expect(new.allSatisfy { budget.admits(macs: $0.macs, params: $0.params) })
        #expect(new.first?.architecture == chain.last?.architecture)
    }
}
