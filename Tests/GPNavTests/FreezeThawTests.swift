import Foundation
import MobileViT
import Synchronization
import Testing
@testable import GPNav

/// Paused trainings (freeze-thaw): with pruning on and an evaluator that can resume, a pruned
/// trial is paused, and continued later as the same trial, paying only the epochs it has left.
@Suite("Freeze-thaw: paused trainings continued")
struct FreezeThawTests {
    static let epochs = 9

    private func open(_ store: any TrialStore, target: Int = 8) async throws -> StudySession {
        let settings = StudySettings(budget: Budget(macs: 300_000_000), targetTrials: target, seed: 1, evaluator: "test",
                                     epochs: Self.epochs, prune: true)
        return try await StudySession.open(store: store, name: "p", settings: settings, mode: .createOrResume,
                                           leaseSeconds: 120)
    }

    private func curve(to final: Double, from first: Int = 1) -> [EpochReport] {
        (first...Self.epochs).map { EpochReport(epoch: $0, accuracy: final * (1 - 0.5 * exp(-Double($0) / 2))) }
    }

    /// Two trials trained in full and a third paused by the study (stopped for good when its
    /// training is not `resumable`); returns the session and the paused trial.
    private func pauseOne(_ store: any TrialStore, worker: String = "w",
                          resumable: Bool = true) async throws -> (StudySession, Trial) {
        let session = try await open(store)
        let trials = try await session.ask(worker: worker, count: 3).trials.map(\.trial)
        try #require(trials.count == 3)
        for (trial, final) in zip(trials.prefix(2), [70.0, 71.0]) {
            for report in curve(to: final) { _ = try await session.record(report, trial: trial.number) }
            _ = try await session.tell(trial: trial.number, result: EvaluationResult(accuracy: final))
        }
        for report in curve(to: 12) where try await session.record(report, trial: trials[2].number, resumable: resumable) == .prune {
            break
        }
        let paused = try #require(try await store.trial(study: "p", number: trials[2].number))
        try #require(paused.state == .pruned)
        return (session, paused)
    }

    /// Continues the first paused trial the snapshot offers, and nothing else.
    struct ContinuingProposer: Proposer {
        func propose(for snapshot: StudySnapshot) throws -> ProposerOutcome {
            guard let paused = snapshot.paused.first else { return .exhausted }
            return .proposal(ProposedArchitecture(architecture: paused.trial.architecture,
                                                  cost: Cost(macs: paused.trial.macs, params: paused.trial.params),
                                                  proposal: paused.trial.proposal, resumes: paused.trial.number))
        }
    }

    @Test(arguments: StoreBackend.available)
    func aPausedTrialIsContinuedAsTheSameTrialWithOneCurveAndItsEpochsCountedOnce(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        let (session, paused) = try await pauseOne(store)
        let id = try #require(paused.id)
        let pausedAfter = try #require(try await store.learningCurves(study: "p")[id]?.last?.epoch)
        #expect(pausedAfter < Self.epochs)
        let proposer = StudyProposer(study: session.study, store: store, leaseSeconds: 120) { _ in ContinuingProposer() }
        // An asker that cannot resume is never handed a paused training.
        #expect(try await proposer.ask(worker: "w2", count: 1).trials.isEmpty)

        let asked = try await proposer.ask(worker: "w2", count: 1, resuming: true)
        let resumed = try #require(asked.trials.first)
        #expect(resumed.trial.number == paused.number && resumed.trial.id == id)
        #expect(resumed.trial.state == .running && resumed.trial.finishedAt == nil && resumed.trial.worker == "w2")
        #expect(resumed.resumedAfterEpoch == pausedAfter)
        // Promising at the next rung, it pauses there too (every rung is a choice), and is continued again.
        var pausedAt: [Int] = []
        for report in curve(to: 80, from: pausedAfter + 1) {
            guard try await session.record(report, trial: paused.number, resumable: true) == .prune else { continue }
            pausedAt.append(report.epoch)
            let again = try #require(try await proposer.ask(worker: "w2", count: 1, resuming: true).trials.first)
            #expect(again.trial.number == paused.number && again.resumedAfterEpoch == report.epoch)
        }
        let laterRungs = try PruningDecision(fullEpochs: Self.epochs).rungs.filter { $0 > pausedAfter }
        #expect(!laterRungs.isEmpty && pausedAt == laterRungs, "paused first after \(pausedAfter)")
        let done = try await session.tell(trial: paused.number, result: EvaluationResult(accuracy: 80))
        #expect(done.state == .complete)
        #expect(try await store.learningCurves(study: "p")[id]?.map(\.epoch) == Array(1...Self.epochs), "one curve")
        let account = try await session.epochAccount(recommended: done)
        #expect(account.byTrial[paused.number] == Self.epochs)
        #expect(account.total == 3 * Self.epochs, "every epoch once")
        #expect(try await store.trials(TrialQuery(study: "p")).count == 3, "no new trial")
    }

    @Test(arguments: StoreBackend.available)
    func aTrainingStoppedWhereItCouldNotBeContinuedIsNeverHandedOutToBeContinued(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        let (session, stopped) = try await pauseOne(store, resumable: false)
        #expect(stopped.metrics[PruningVerdict.resumableMetric] == 0)
        let proposer = StudyProposer(study: session.study, store: store, leaseSeconds: 120) { _ in ContinuingProposer() }
        #expect(try await proposer.ask(worker: "w2", count: 1, resuming: true).trials.isEmpty, "its stop was final")
        #expect(try await store.trial(study: "p", number: stopped.number)?.state == .pruned)
        // A pause of a training that can be continued says so, and is handed out.
        let (_, paused) = try await pauseOne(try await backend.newStore().0)
        #expect(paused.metrics[PruningVerdict.resumableMetric] == 1)
    }

    @Test(arguments: StoreBackend.available)
    func aPausedArchitectureIsOfferedForContinuingAndNeverAsANewTrial(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        let (session, paused) = try await pauseOne(store)
        let trials = try await store.trials(TrialQuery(study: "p", details: false))
        var snapshot = StudySnapshot(study: session.study, trials: trials)
        snapshot.curves = try await store.learningCurves(study: "p")
        #expect(snapshot.taken.contains(paused.architecture))
        #expect(snapshot.paused.isEmpty, "only for an asker that can resume")
        snapshot.resumable = true
        #expect(snapshot.paused.map(\.trial.number) == [paused.number])
        // The study's own proposals, resuming or not, never start a second trial of it.
        let more = try await session.ask(worker: "w", count: 4, resuming: true).trials
        #expect(more.allSatisfy { $0.trial.architecture != paused.architecture || $0.trial.number == paused.number })
        #expect(Set(try await store.trials(TrialQuery(study: "p")).map(\.architecture)).count
                    == (try await store.trials(TrialQuery(study: "p")).count))
    }

    @Test(arguments: StoreBackend.available)
    func aPausedTrialOfAStudyResumedByAnotherProcessRunsForItAndIsNotReaped(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        // The first process, now gone, paused the trial.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let colon = try #require(WorkerIdentity.current.lastIndex(of: ":"))
        let gone = "\(WorkerIdentity.current[..<colon]):\(ended.processIdentifier)"
        let (_, paused) = try await pauseOne(store, worker: gone)
        #expect(paused.worker == gone)
        let reopened = try await open(store, target: 10)
        let proposer = StudyProposer(study: reopened.study, store: store, leaseSeconds: 120) { _ in ContinuingProposer() }
        let resumed = try #require(try await proposer.ask(worker: WorkerIdentity.current, count: 1, resuming: true).trials.first)
        #expect(resumed.trial.number == paused.number && resumed.trial.worker == WorkerIdentity.current)
        #expect(try await reopened.reapAbandoned() == 0)
        #expect(try await store.trial(study: "p", number: paused.number)?.state == .running)
    }

    @Test func aSearchThatPausesTrainingsKeepsEachTrialOnTheSimulatorsOneCurveAndResumesWithThem() async throws {
        let scratch = try ScratchDirectory()
        let store = try SQLiteTrialStore(path: scratch.path("a.sqlite"), access: .readWrite(createIfMissing: true))
        let simulator = TrainingSimulator(seed: 1)
        var configuration = SearchConfiguration(studyName: "s", settings: StudySettings(
            budget: Budget(macs: 100_000_000), targetTrials: 10, seed: 1, epochs: Self.epochs, prune: true))
        let started = Mutex<[Int]>([])
        let progress: @Sendable (SearchEvent) -> Void = { event in
            if case .trialStarted(let trial, _) = event { started.withLock { $0.append(trial.number) } }
        }
        _ = try await ArchitectureSearch(store: store, evaluator: simulator, configuration: configuration).run(progress: progress)
        configuration.resume = true
        configuration.settings.targetTrials = 14
        let report = try await ArchitectureSearch(store: store, evaluator: simulator, configuration: configuration)
            .run(progress: progress)

        let curves = try store.learningCurves(study: "s")
        var lastEpochs = 0
        for trial in report.trials {
            let curve = trial.id.flatMap { curves[$0] } ?? []
            let request = EvaluationRequest(architecture: trial.architecture, macs: trial.macs, params: trial.params,
                                            study: "s", trialNumber: trial.number, epochs: Self.epochs)
            let final = min(100, max(0, simulator.noiseFreeAccuracy(trial.architecture) + simulator.noise(for: request)))
            // Continued, never restarted: what each trial stored is the start of the one curve it would have reported.
            #expect(curve == Array(simulator.learningCurve(for: request, final: final).prefix(curve.count)))
            lastEpochs += curve.last?.epoch ?? 0
        }
        #expect(Set(report.trials.map(\.architecture)).count == report.trials.count, "no architecture trained twice")
        #expect(report.epochAccount?.total == lastEpochs, "each epoch once")
        let numbers = started.withLock { $0 }
        #expect(numbers.count > Set(numbers).count, "some paused training was continued")
        #expect(report.trials.filter { $0.macs > 100_000_000 }.count <= 1, "one model above the budget at most")
    }

    @Test func theSimulatorContinuesAPausedTrainingOnTheCurveItWouldHaveReported() async throws {
        let simulator = TrainingSimulator(seed: 3)
        let architecture = try #require(SearchSpace.default.family.presets.first?.architecture)
        let cost = CostModel.cost(of: architecture)
        var request = EvaluationRequest(architecture: architecture, macs: cost.macs, params: cost.params, study: "s",
                                        trialNumber: 4, epochs: 27)
        let whole = Mutex<[EpochReport]>([])
        let full = try await simulator.evaluate(request) { report in
            whole.withLock { $0.append(report) }
            return .proceed
        }
        request.resumedAfterEpoch = 9
        let rest = Mutex<[EpochReport]>([])
        let continued = try await simulator.evaluate(request) { report in
            rest.withLock { $0.append(report) }
            return .proceed
        }
        #expect(simulator.canResume)
        #expect(continued == full)
        #expect(rest.withLock { $0 } == Array(whole.withLock { $0 }.dropFirst(9)))
    }

    @Test func whenStopsCanBeUndoneTheRungsKeepSuccessiveHalvingsShares() throws {
        let strict = try PruningDecision(fullEpochs: 27, resumable: true)
        #expect(strict.rungs == [3, 9])
        // Python's statistics.NormalDist().inv_cdf(8/9) and inv_cdf(2/3): go on while
        // P(final >= best) is at least 1/9 at epoch 3 and 1/3 at epoch 9.
        #expect(abs(strict.optimism(atRung: 0) - 1.2206403488473494) < 1e-9)
        #expect(abs(strict.optimism(atRung: 1) - 0.43072729929545733) < 1e-9)
        let fixed = try PruningDecision(fullEpochs: 27)
        #expect(fixed.optimism(atRung: 0) == 1.96 && fixed.optimism(atRung: 1) == 1.96)
    }

    @Test func aPausedTrialFinishedAfterTheRecommendationCountsTheEpochsItHadTrainedBeforeIt() throws {
        let start = Date(timeIntervalSince1970: 1_000_000)
        func trial(_ number: Int, _ state: TrialState, finished: Double?, width: Double) throws -> Trial {
            var trial = try Fixtures.trial(studyID: 1, width: width, state: state, accuracy: 60)
            trial.number = number
            trial.id = Int64(number + 1)
            trial.finishedAt = finished.map { start.addingTimeInterval($0) }
            return trial
        }
        // Trial 1 was paused after 3 epochs before trial 2, the recommendation, completed; it was
        // continued and completed after.
        let trials = [try trial(0, .complete, finished: 1, width: 0.5), try trial(1, .complete, finished: 5, width: 0.75),
                      try trial(2, .complete, finished: 3, width: 1.0)]
        let curves: [Int64: [EpochReport]] = [
            1: (1...9).map { EpochReport(epoch: $0, accuracy: 50) },
            2: (1...9).map { EpochReport(epoch: $0, accuracy: 50) },
            3: (1...9).map { EpochReport(epoch: $0, accuracy: 60) },
        ]
        var account = EpochAccount(trials: trials, curves: curves, epochs: 9, recommended: trials[2])
        #expect(account.totalAtRecommended == 18, "trials 0 and 2 finished by then")
        #expect(account.unsettledTrials == [2], "trial 1 (id 2) had reported but not finished")
        #expect(account.recommendedCompletedAt == start.addingTimeInterval(3))
        account.addEpochsTrainedBefore([1: 9, 2: 3])
        #expect(account.totalAtRecommended == 21)
        #expect(account.total == 27)
    }
}
