import Foundation
import Testing
@testable import GPNav

/// Intermediate reports and the epoch budget through the study's own rules.
@Suite("Study session: learning curves")
struct StudySessionCurveTests {
    let scratch: ScratchDirectory
    let store: SQLiteTrialStore

    init() throws {
        scratch = try ScratchDirectory()
        store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
    }

    private func open(epochs: Int? = 5, budget: Int? = nil, trials: Int = 8) async throws -> StudySession {
        let settings = StudySettings(budget: Budget(macs: 300_000_000), targetTrials: trials, seed: 1,
                                     evaluator: "test", epochs: epochs, epochBudget: budget)
        return try await StudySession.open(store: store, name: "s", settings: settings, mode: .createOrResume,
                                           leaseSeconds: 120)
    }

    @Test func reportsOfARunningTrialAreStoredAndAnsweredWithProceed() async throws {
        let session = try await open()
        let trial = try #require(try await session.ask(worker: "w", count: 1).trials.first).trial
        #expect(try await session.record(EpochReport(epoch: 1, accuracy: 30), trial: trial.number) == .proceed)
        #expect(try await session.record(EpochReport(epoch: 2, accuracy: 45), trial: trial.number) == .proceed)
        // A retry of a kept report is harmless; a report past the study's length is refused.
        #expect(try await session.record(EpochReport(epoch: 2, accuracy: 45), trial: trial.number) == .proceed)
        await #expect(throws: StudyError.invalidEpochReport("epoch 6 is beyond the study's training length of 5 epochs")) {
            try await session.record(EpochReport(epoch: 6, accuracy: 50), trial: trial.number)
        }
        await #expect(throws: StudyError.unknownTrial(study: "s", number: 99)) {
            try await session.record(EpochReport(epoch: 1, accuracy: 50), trial: 99)
        }
        _ = try await session.tell(trial: trial.number, result: EvaluationResult(accuracy: 50))
        let curves = try await store.learningCurves(study: "s")
        #expect(curves[try #require(trial.id)] == [EpochReport(epoch: 1, accuracy: 30), EpochReport(epoch: 2, accuracy: 45)])
        // The trial reported 2 of 5 epochs and counts 2.
        #expect(try await session.epochAccount().total == 2)
    }

    @Test func theEpochBudgetStopsNewTrialsWhoseFullTrainingWouldPassIt() async throws {
        let session = try await open(epochs: 5, budget: 12, trials: 100)
        // Two trainings fit in 12 epochs; the running ones count in full.
        let first = try await session.ask(worker: "a", count: 3)
        #expect(first.trials.count == 2)
        #expect(!first.done)
        let none = try await session.ask(worker: "b", count: 1)
        #expect(none.trials.isEmpty && none.done)
        // A trial that failed after one epoch gives back the rest of its share.
        let failing = try #require(first.trials.first).trial.number
        _ = try await session.record(EpochReport(epoch: 1, accuracy: 10), trial: failing)
        _ = try await session.fail(trial: failing, reason: "crashed")
        #expect(try await session.ask(worker: "b", count: 2).trials.count == 1)
    }

    @Test func theTrainingLengthReachesTheSuggestedConfig() async throws {
        let session = try await open(epochs: 27)
        let suggested = try #require(try await session.ask(worker: "w", count: 1).trials.first)
        #expect(suggested.config.epochs == 27)
        #expect(session.epochs == 27)
    }
}
