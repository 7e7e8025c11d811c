import Foundation
import Testing
@testable import GPNav

/// Early stopping through the study's own rules, on every backend: after each report the study
/// judges the running trial, stores a hopeless one as pruned with its curve, and never proposes
/// its architecture again.
@Suite("Study session: pruning")
struct StudySessionPruneTests {
    static let epochs = 9

    private func open(_ store: any TrialStore, prune: Bool, target: Int = 8) async throws -> StudySession {
        let settings = StudySettings(budget: Budget(macs: 300_000_000), targetTrials: target, seed: 1, evaluator: "test",
                                     epochs: Self.epochs, prune: prune)
        return try await StudySession.open(store: store, name: "p", settings: settings, mode: .createOrResume,
                                           leaseSeconds: 120)
    }

    /// A curve rising to `final` over the study's length.
    private func curve(to final: Double) -> [EpochReport] {
        (1...Self.epochs).map { EpochReport(epoch: $0, accuracy: final * (1 - 0.5 * exp(-Double($0) / 2))) }
    }

    /// Three trials: two trained in full to about 70 %, and a third whose curve stays near 12 %,
    /// reported until the study says stop; returns the session, the third trial and the directives.
    private func runHopelessTrial(_ store: any TrialStore, prune: Bool, target: Int = 8)
        async throws -> (StudySession, Trial, [TrainingDirective]) {
        let session = try await open(store, prune: prune, target: target)
        let trials = try await session.ask(worker: "w", count: 3).trials.map(\.trial)
        try #require(trials.count == 3)
        for (trial, final) in zip(trials.prefix(2), [70.0, 71.0]) {
            for report in curve(to: final) { _ = try await session.record(report, trial: trial.number) }
            _ = try await session.tell(trial: trial.number, result: EvaluationResult(accuracy: final))
        }
        var directives: [TrainingDirective] = []
        for report in curve(to: 12) {
            let directive = try await session.record(report, trial: trials[2].number)
            directives.append(directive)
            if directive == .prune { break }
        }
        return (session, trials[2], directives)
    }

    @Test(arguments: StoreBackend.available)
    func aHopelessTrainingIsPrunedAndKeepsItsCurveAndEpochs(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        let (session, hopeless, directives) = try await runHopelessTrial(store, prune: true)
        #expect(directives.last == .prune)
        #expect(directives.count < Self.epochs, "stopped before its full length")
        let stored = try #require(try await store.trial(study: "p", number: hopeless.number))
        #expect(stored.state == .pruned)
        #expect(stored.accuracy == nil, "a partial curve is no final accuracy")
        #expect(stored.error?.hasPrefix("pruned after epoch \(directives.count) of \(Self.epochs)") == true)
        let id = try #require(stored.id)
        #expect(try await store.learningCurves(study: "p")[id]?.count == directives.count)
        #expect(try await session.epochAccount().byTrial[hopeless.number] == directives.count)
        // Its worker's next report is told to stop again and is not stored.
        #expect(try await session.record(EpochReport(epoch: Self.epochs, accuracy: 12), trial: hopeless.number) == .prune)
        #expect(try await store.learningCurves(study: "p")[id]?.count == directives.count)
        #expect(try await session.status().pruned == 1)
    }

    @Test(arguments: StoreBackend.available)
    func aPrunedTrainingCountsTowardTheTargetAsOptunaCountsIt(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        // Two complete trials and one pruned: a target of 3 is reached, none of 4 is.
        let (session, _, directives) = try await runHopelessTrial(store, prune: true, target: 3)
        #expect(directives.last == .prune)
        let ended = try await session.ask(worker: "w", count: 1)
        #expect(ended.trials.isEmpty && ended.done)
        let resumed = try await StudySession.open(
            store: store, name: "p", settings: StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 4, seed: 1,
                                                            evaluator: "test", epochs: Self.epochs, prune: true),
            given: [.targetTrials], mode: .createOrResume, leaseSeconds: 120)
        let more = try await resumed.ask(worker: "w", count: 5)
        #expect(more.trials.count == 1, "one more trial reaches a target of 4")
    }

    @Test(arguments: StoreBackend.available)
    func aStudyWithoutPruningLetsEveryTrainingRunToItsEnd(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        let (_, hopeless, directives) = try await runHopelessTrial(store, prune: false)
        #expect(directives == Array(repeating: .proceed, count: Self.epochs))
        #expect(try await store.trial(study: "p", number: hopeless.number)?.state == .running)
    }

    @Test(arguments: StoreBackend.available)
    func aResumedStudyKeepsItsPrunedTrialAndNeverProposesItsArchitectureAgain(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        let (_, hopeless, _) = try await runHopelessTrial(store, prune: true)
        let resumed = try await open(store, prune: true)
        #expect(try await resumed.status().pruned == 1)
        let asked = try await resumed.ask(worker: "other", count: 5).trials.map(\.trial)
        #expect(!asked.isEmpty)
        #expect(!asked.contains { $0.architecture == hopeless.architecture })
        // The proposals' GP never takes the pruned trial's partial curve as a result: it sees the
        // final the pruning decision predicted, stored with the trial, and the recommendation
        // stays among the trials trained in full.
        let trials = try await store.trials(TrialQuery(study: "p"))
        #expect(!StudyModel.observed(trials).contains { $0.number == hopeless.number })
        let pruned = try #require(trials.first { $0.number == hopeless.number })
        let predicted = try #require(pruned.metrics[PruningVerdict.predictedFinalMetric])
        #expect(predicted < 70)
        var snapshot = StudySnapshot(study: resumed.study, trials: trials)
        let std = try #require(pruned.metrics[PruningVerdict.predictedStdMetric])
        snapshot.prunedFinals = [try #require(pruned.id): PredictedFinal(mean: predicted, std: std)]
        let standing = try #require(snapshot.modelTrials.first { $0.number == hopeless.number })
        #expect(standing.state == .complete && standing.accuracy == predicted)
        #expect(snapshot.modelNoise == [try #require(pruned.id): std * std], "it stands with its predicted variance")
        #expect(!snapshot.complete.contains { $0.number == hopeless.number })
    }

    @Test(arguments: StoreBackend.available)
    func aPrunedTrialPullsTheProposalsModelOnlyAsFarAsItsPredictionIsSure(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        let (session, hopeless, _) = try await runHopelessTrial(store, prune: true)
        let trials = try await store.trials(TrialQuery(study: "p"))
        let pruned = try #require(trials.first { $0.number == hopeless.number })
        let id = try #require(pruned.id)
        let predicted = try #require(pruned.metrics[PruningVerdict.predictedFinalMetric])
        func modelMean(std: Double) throws -> Double {
            var snapshot = StudySnapshot(study: session.study, trials: trials)
            snapshot.prunedFinals = [id: PredictedFinal(mean: predicted, std: std)]
            var proposer = GaussianProcessProposer(snapshot: snapshot, restarts: 0, refresh: .inline)
            return try proposer.fittedModel(for: snapshot).predict([pruned.architecture]).mean[0]
        }
        // Sure, the model passes by the predicted final; vague, it hardly moves from the complete trials' level.
        let sure = try modelMean(std: 0.01)
        let vague = try modelMean(std: 100)
        #expect(abs(sure - predicted) < 1, "sure: \(sure) against \(predicted)")
        #expect(vague > 60, "vague: \(vague)")
    }
}
