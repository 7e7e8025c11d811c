import Foundation
import MobileViT
import Testing
@testable import GPNav

/// Asks that wait for a study's turn are served together from one read of the study.
@Suite("Study proposer")
struct StudyProposerTests {
    let scratch: ScratchDirectory

    init() throws {
        scratch = try ScratchDirectory()
    }

    /// A study of `target` trials in its own store, with `complete` trials asked and told one by one
    /// (an accuracy that depends on the trial's cost, so the model has something to learn).
    func seeded(_ file: String, target: Int = 30, complete: Int = 14) async throws -> (SQLiteTrialStore, StudySession) {
        let store = try SQLiteTrialStore(path: scratch.path(file), access: .readWrite(createIfMissing: true))
        let settings = StudySettings(budget: Budget(macs: 300_000_000), targetTrials: target, seed: 3, evaluator: "test")
        let session = try await StudySession.open(store: store, name: "s", settings: settings, mode: .create, leaseSeconds: 120)
        for _ in 0..<complete {
            let asked = try await session.ask(worker: "seed", count: 1)
            let trial = try #require(asked.trials.first).trial
            let accuracy = 50 + 30 * Double(trial.macs) / 300_000_000 - Double(trial.params) / 1_000_000
            _ = try await session.tell(trial: trial.number, result: EvaluationResult(accuracy: accuracy, metrics: [:]))
        }
        return (store, session)
    }

    @Test func concurrentAsksOfDifferentWorkersAllGetDistinctTrials() async throws {
        let (store, session) = try await seeded("distinct.sqlite")
        let asked = try await withThrowingTaskGroup(of: (String, [Trial]).self) { group in
            for worker in 0..<8 {
                group.addTask { ("w\(worker)", try await session.ask(worker: "w\(worker)", count: 1).trials.map(\.trial)) }
            }
            return try await group.reduce(into: [(String, [Trial])]()) { $0.append($1) }
        }
        #expect(asked.allSatisfy { worker, trials in trials.count == 1 && trials[0].worker == worker })
        let numbers = asked.flatMap { $0.1.map(\.number) }
        #expect(numbers.sorted() == Array(14..<22))
        let running = try store.trials(TrialQuery(study: "s")).filter { $0.state == .running }
        #expect(running.count == 8 && Set(running.map(\.architecture)).count == 8)
    }

    @Test func queuedAsksServedTogetherProposeWhatTheSameAsksOneByOneWould() async throws {
        let (oneByOneStore, oneByOne) = try await seeded("one-by-one.sqlite")
        for worker in 0..<6 { _ = try await oneByOne.ask(worker: "w\(worker)", count: 1) }
        let (togetherStore, together) = try await seeded("together.sqlite")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<6 { group.addTask { _ = try await together.ask(worker: "w\(worker)", count: 1) } }
            try await group.waitForAll()
        }
        // Which worker gets which trial depends on arrival order; the n-th claim does not.
        let expected = try oneByOneStore.trials(TrialQuery(study: "s"))
        let served = try togetherStore.trials(TrialQuery(study: "s"))
        #expect(served.count == 20)
        #expect(served.map(\.number) == expected.map(\.number))
        #expect(served.map(\.architecture) == expected.map(\.architecture))
        #expect(served.map(\.proposal.kind) == expected.map(\.proposal.kind))
        #expect(served.suffix(6).contains { $0.proposal.kind == .gp }, "the Gaussian process proposes some of them")
    }

    @Test func anAskForSeveralTrialsClaimsEachAfterSeeingItsOwnEarlierClaims() async throws {
        let (store, session) = try await seeded("several.sqlite")
        let asked = try await session.ask(worker: "w", count: 4)
        #expect(asked.trials.map(\.trial.number) == Array(14..<18))
        let architectures = try store.trials(TrialQuery(study: "s")).map(\.architecture)
        #expect(Set(architectures).count == 18)
    }
}
