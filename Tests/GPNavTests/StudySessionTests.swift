import Foundation
import MobileViT
import Testing
@testable import GPNav

/// The ask/tell life cycle of a study, as the local search and the server use it.
@Suite("Study session")
struct StudySessionTests {
    let scratch: ScratchDirectory
    let store: SQLiteTrialStore

    init() throws {
        scratch = try ScratchDirectory()
        store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
    }

    static func settings(trials: Int = 8, seed: UInt64 = 1) -> StudySettings {
        StudySettings(budget: Budget(macs: 300_000_000), targetTrials: trials, seed: seed, evaluator: "test")
    }

    /// Opens study `s` with every setting given: created, or confirmed when it exists.
    func open(_ settings: StudySettings = settings(), mode: StudyOpenMode = .createOrConfirm, lease: Double = 120) async throws -> StudySession {
        try await StudySession.open(store: store, name: "s", settings: settings, mode: mode, leaseSeconds: lease)
    }

    static func result(_ accuracy: Double, _ metrics: [String: Double] = [:]) -> EvaluationResult {
        EvaluationResult(accuracy: accuracy, metrics: metrics)
    }

    @Test func createThenReopenWithTheSameSpecOpensTheStoredStudy() async throws {
        let created = try await open(mode: .create)
        #expect(created.wasCreated)
        let reopened = try await open()
        #expect(!reopened.wasCreated)
        #expect(reopened.study.id == created.study.id)
        let byName = try await StudySession.open(store: store, name: "s", leaseSeconds: 120)
        #expect(byName.study.id == created.study.id && byName.study.settings == created.study.settings)
    }

    @Test func creatingAStudyThatExistsIsRefusedWithItsCompleteCount() async throws {
        _ = try await open()
        await #expect(throws: StudyError.exists(name: "s", completeTrials: 0)) { try await open(mode: .create) }
    }

    @Test func reopeningWithOtherSettingsNamesEachDifference() async throws {
        _ = try await open()
        var other = Self.settings(seed: 5)
        other.stepFactor = 0.7
        other.targetTrials = 9
        do {
            _ = try await open(other)
            Issue.record("expected settingsDiffer")
        } catch StudyError.settingsDiffer(let name, let differences) {
            #expect(name == "s")
            #expect(differences.count == 3)
            #expect(differences.contains { $0.hasPrefix("seed") && $0.contains("5") })
            #expect(differences.contains { $0.hasPrefix("step factor") })
            #expect(differences.contains { $0.hasPrefix("target trials") })
        }
    }

    @Test func resumingAMissingStudyWithoutABudgetIsAnUnknownStudy() async throws {
        await #expect(throws: StoreError.self) {
            try await StudySession.open(store: store, name: "nope", settings: StudySettings(evaluator: "x"),
                                        given: [.evaluator], mode: .createOrResume, leaseSeconds: 120)
        }
        #expect(try store.studies().isEmpty)
    }

    @Test func askClaimsTheDownsizingChainFirstWithTheConfigATrainingGets() async throws {
        let session = try await open()
        let suggestion = try await session.ask(worker: "w1", count: 2)
        #expect(!suggestion.done && !suggestion.exhausted)
        #expect(suggestion.trials.map(\.trial.number) == [0, 1])
        #expect(suggestion.trials.allSatisfy { $0.phase == .downsizing && $0.trial.state == .running && $0.trial.worker == "w1" })
        let first = try #require(suggestion.trials.first)
        // The chain's in-budget end first, then its start model (the one model above the budget).
        #expect(suggestion.trials.map(\.trial.proposal.kind) == [.downsize, .start])
        #expect(first.config == TrialConfig(architecture: first.trial.architecture, macs: first.trial.macs,
                                            params: first.trial.params, study: "s", trial: 0))
    }

    @Test func aWorkerThatAsksAgainGetsItsOwnRunningTrialsFirst() async throws {
        let session = try await open()
        let first = try await session.ask(worker: "w1", count: 1)
        let other = try await session.ask(worker: "w2", count: 1)
        let again = try await session.ask(worker: "w1", count: 2)
        #expect(again.trials.map(\.trial.number) == [first.trials[0].trial.number, 2])
        #expect(other.trials[0].trial.number == 1)
    }

    @Test func concurrentAsksClaimDistinctGapFreeTrials() async throws {
        let session = try await open(Self.settings(trials: 30))
        let numbers = try await withThrowingTaskGroup(of: [Int].self) { group in
            for worker in 0..<6 {
                group.addTask { try await session.ask(worker: "w\(worker)", count: 2).trials.map(\.trial.number) }
            }
            return try await group.reduce(into: [Int]()) { $0 += $1 }
        }
        #expect(numbers.sorted() == Array(0..<12))
        let architectures = try store.trials(TrialQuery(study: "s")).map(\.architecture)
        #expect(Set(architectures).count == 12)
    }

    @Test func tellIsIdempotentAndRefusesADifferentResult() async throws {
        let session = try await open()
        let number = try await session.ask(worker: "w", count: 1).trials[0].trial.number
        let told = try await session.tell(trial: number, result: Self.result(70.5, ["loss": 1.25]))
        #expect(told.state == .complete && told.accuracy == 70.5 && told.metrics == ["loss": 1.25])
        let again = try await session.tell(trial: number, result: Self.result(70.5, ["loss": 1.25]))
        #expect(again == told)
        await #expect(throws: StudyError.conflictingResult(study: "s", number: number)) {
            try await session.tell(trial: number, result: Self.result(70.6, ["loss": 1.25]))
        }
        await #expect(throws: StudyError.conflictingResult(study: "s", number: number)) {
            try await session.tell(trial: number, result: Self.result(70.5))
        }
    }

    @Test(arguments: [Double.nan, .infinity, -0.5, 100.01])
    func tellRefusesAnAccuracyOutsideZeroToHundred(_ accuracy: Double) async throws {
        let session = try await open()
        let number = try await session.ask(worker: "w", count: 1).trials[0].trial.number
        await #expect(throws: StudyError.self) { try await session.tell(trial: number, result: Self.result(accuracy)) }
        #expect(try store.trial(study: "s", number: number)?.state == .running)
    }

    @Test func failedTrialsCannotBeToldOrHeartbeatenAndUnknownNumbersAreNamed() async throws {
        let session = try await open()
        let number = try await session.ask(worker: "w", count: 1).trials[0].trial.number
        let failed = try await session.fail(trial: number, reason: "out of memory", output: "tail")
        #expect(failed.state == .failed && failed.error == "out of memory" && failed.evaluatorOutput == "tail")
        #expect(try await session.fail(trial: number, reason: "again", output: nil).error == "out of memory")
        await #expect(throws: StudyError.trialNotRunning(study: "s", number: number, state: .failed)) {
            try await session.tell(trial: number, result: Self.result(70))
        }
        await #expect(throws: StudyError.trialNotRunning(study: "s", number: number, state: .failed)) {
            try await session.heartbeat(trial: number)
        }
        await #expect(throws: StudyError.unknownTrial(study: "s", number: 99)) { try await session.heartbeat(trial: 99) }
        await #expect(throws: StudyError.unknownTrial(study: "s", number: 99)) {
            try await session.tell(trial: 99, result: Self.result(70))
        }
    }

    @Test func aLateResultForAnAbandonedTrialIsKept() async throws {
        let session = try await open(lease: 0)
        let number = try await session.ask(worker: "gone", count: 1).trials[0].trial.number
        usleep(5_000)
        #expect(try await session.reapAbandoned() == 1)
        let abandoned = try #require(try store.trial(study: "s", number: number))
        #expect(abandoned.isAbandoned)
        let late = try await session.tell(trial: number, result: Self.result(66))
        #expect(late.state == .complete && late.accuracy == 66 && late.error == nil)
    }

    @Test func aLateResultIsRefusedOnceTheStudyHasItsTrials() async throws {
        let session = try await open(Self.settings(trials: 1), lease: 0)
        let lost = try await session.ask(worker: "gone", count: 1).trials[0].trial
        usleep(5_000)
        #expect(try await session.reapAbandoned() == 1)
        let retry = try #require(try await session.ask(worker: "alive", count: 1).trials.first)
        #expect(retry.trial.architecture == lost.architecture, "an abandoned architecture is proposed again")
        _ = try await session.tell(trial: retry.trial.number, result: Self.result(70))
        await #expect(throws: StudyError.studyEnded(study: "s")) {
            try await session.tell(trial: lost.number, result: Self.result(71))
        }
        let done = try await session.ask(worker: "alive", count: 1)
        #expect(done.done && done.trials.isEmpty && !done.exhausted)
    }

    @Test func anArchitectureAbandonedMoreThanTheRetryLimitIsNotProposedAgain() async throws {
        let session = try await open(lease: 0)
        let first = try await session.ask(worker: "w", count: 1).trials[0].trial
        for attempt in 0...Trial.abandonedRetries {
            let trial = try await session.ask(worker: "w\(attempt)", count: 1).trials[0].trial
            if attempt > 0 { #expect(trial.architecture == first.architecture) }
            usleep(5_000)
            _ = try await session.reapAbandoned()
        }
        // The first trial and its retries are abandoned, more than the limit allows: move on.
        let next = try await session.ask(worker: "x", count: 1).trials[0].trial
        #expect(next.architecture != first.architecture)
        let attempts = try store.trials(TrialQuery(study: "s")).filter { $0.architecture == first.architecture }
        #expect(attempts.count == Trial.abandonedRetries + 1 && attempts.allSatisfy(\.isAbandoned))
    }

    @Test func evaluatorFailuresAreNotRetried() async throws {
        let session = try await open()
        let first = try await session.ask(worker: "w", count: 1).trials[0].trial
        _ = try await session.fail(trial: first.number, reason: "crashed", output: nil)
        let next = try await session.ask(worker: "w", count: 1).trials[0].trial
        #expect(next.architecture != first.architecture)
    }

    @Test func aStudyWithItsCompleteTrialsIsDoneAndStatusCountsThem() async throws {
        let session = try await open(Self.settings(trials: 2))
        for trial in try await session.ask(worker: "w", count: 3).trials {
            _ = try await session.tell(trial: trial.trial.number, result: Self.result(60 + Double(trial.trial.number)))
        }
        let after = try await session.ask(worker: "w", count: 1)
        #expect(after.done && after.trials.isEmpty)
        let status = try await session.status()
        #expect(status.complete == 2 && status.running == 0 && status.failed == 0 && status.targetTrials == 2)
        #expect(status.best.map { $0.macs <= 300_000_000 } ?? true)
    }

    @Test func aSpaceUsedUpWithinTheBudgetEndsTheStudyAsExhausted() async throws {
        let space = SearchSpace(resolutions: [96, 112], widths: [0.5, 0.5625], mv2DepthMultipliers: [1.0],
                                vitDepthMultipliers: [1.0])
        let largest = try CostModel.cost(of: Architecture(resolution: 112, width: 0.5625))
        var settings = Self.settings(trials: 20)
        settings.space = space
        settings.budget = Budget(macs: largest.macs)
        let session = try await open(settings)
        var told = 0
        while true {
            let suggestion = try await session.ask(worker: "w", count: 1)
            guard let trial = suggestion.trials.first else {
                #expect(suggestion.done && suggestion.exhausted)
                break
            }
            _ = try await session.tell(trial: trial.trial.number, result: Self.result(50 + Double(told)))
            told += 1
            #expect(told < 20)
        }
        #expect(told >= 4 && told < 20)
    }

    @Test func theStudyModelIsReusedWhileTheCompleteTrialsAreUnchanged() async throws {
        let session = try await open(Self.settings(trials: 20))
        for trial in try await session.ask(worker: "w", count: 6).trials {
            _ = try await session.tell(trial: trial.trial.number, result: Self.result(60 + Double(trial.trial.number)))
        }
        let before = session.modelFitStatistics
        _ = try await session.ask(worker: "w", count: 1)
        _ = try await session.report()
        let after = session.modelFitStatistics
        // The proposals' model and the recommendation's floored model (ModelNoise) fit once each.
        #expect(after.fits == before.fits + 2, "one fit of each model for the ask and the report")
        #expect(after.totalSeconds > before.totalSeconds)
        _ = try await session.report()
        #expect(session.modelFitStatistics.fits == after.fits, "a second report of unchanged data fits nothing")
        let trials = try store.trials(TrialQuery(study: "s"))
        var model = StudyModel(study: session.study)
        _ = try model.model(for: trials)
        _ = try model.model(for: trials)
        #expect(model.fitCount == 1)
        var more = trials
        more[0].accuracy = nil
        more[0].state = .failed
        _ = try model.model(for: more)
        #expect(model.fitCount == 2)
    }

    @Test func anImportedStudyResumedWithABudgetSearchesSeededByItsTrials() async throws {
        let recording = try await StudySession.openForRecording(store: store, name: "real", seed: 0,
                                                                evaluatorSummary: "import", leaseSeconds: 120)
        var rows: [TrialImport.Row] = []
        for (index, factors) in [(160, 0.75), (192, 0.625), (224, 0.5), (128, 1.0)].enumerated() {
            rows.append(TrialImport.Row(line: index + 2, architecture: try Architecture(resolution: factors.0, width: factors.1),
                                        state: .complete, accuracy: 65 + Double(index), metrics: [:]))
        }
        _ = try await recording.importTrials(rows)
        await #expect(throws: StudyError.noBudget(study: "real")) { try await recording.ask(worker: "w", count: 1) }
        let session = try await StudySession.open(
            store: store, name: "real", settings: StudySettings(budget: Budget(macs: 300_000_000), evaluator: "test"),
            given: [.budget, .evaluator], mode: .createOrResume, leaseSeconds: 120)
        #expect(session.study.budget == Budget(macs: 300_000_000))
        #expect(session.study.targetTrials == StudySettings.defaultTargetTrials)
        #expect(session.adjustments.count == 1)
        let next = try #require(try await session.ask(worker: "w", count: 1).trials.first)
        #expect(next.trial.number == 4)
        #expect(try store.study(named: "real")?.budget == Budget(macs: 300_000_000))
    }

    @Test func theTrialConfigHasTheTrainingCommandsSnakeCaseKeys() async throws {
        let architecture = try Architecture(resolution: 256, width: 0.5)
        let config = TrialConfig(architecture: architecture, macs: 1, params: 2, study: "s", trial: 3)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(config)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object.keys.sorted() == ["channel_plan", "classes", "macs", "mv2_depths", "params", "resolution",
                                         "study", "trial", "vit_depths", "width"])
        // The plan is the one the MAC counter walks, so a builder reading it rounds nothing itself.
        #expect(config.channelPlan == CostModel.channelPlan(of: architecture))
        var withoutPlan = object
        withoutPlan["channel_plan"] = nil
        let rest = String(decoding: try JSONSerialization.data(withJSONObject: withoutPlan, options: [.sortedKeys]), as: UTF8.self)
        #expect(rest == #"{"classes":1000,"macs":1,"mv2_depths":[1,2],"params":2,"resolution":256,"study":"s","trial":3,"vit_depths":[2,4,3],"width":0.5}"#)
    }
}

/// Heartbeats and results while an ask is busy.
@Suite("Study session concurrency")
struct StudySessionConcurrencyTests {
    @Test func heartbeatsResultsAndStatusDoNotWaitBehindAnAsk() async throws {
        let scratch = try ScratchDirectory()
        let store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
        let session = try await StudySession.open(store: store, name: "s", settings: StudySessionTests.settings(), mode: .create,
                                                  leaseSeconds: 120)
        let running = try await session.ask(worker: "w", count: 1).trials[0].trial
        let proposer = try #require(session.proposer)
        // Hold the asks' queue as a long model fit would.
        let release = DispatchSemaphore(value: 0)
        proposer.queue.async { release.wait() }
        let ask = Task { try await session.ask(worker: "v", count: 1) }
        // Should heartbeats wait behind the queue, it is released after a while so that the test ends.
        let timedOut = Flag()
        DispatchQueue.global().asyncAfter(deadline: .now() + 30) {
            timedOut.set()
            release.signal()
        }

        try await session.heartbeat(trial: running.number)
        _ = try await session.tell(trial: running.number, result: EvaluationResult(accuracy: 68))
        #expect(try await session.status().complete == 1)
        let waited = timedOut.isSet
        release.signal()
        #expect(!waited, "heartbeat, tell and status answered while the ask's queue was held")
        #expect(try await ask.value.trials.count == 1, "the ask went on once the queue was free")
    }
}

/// A flag set once, from any thread.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }
}
