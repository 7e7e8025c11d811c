import Foundation
import Synchronization
import GaussianProcess
import MobileViT
import Testing
@testable import GPNav

/// Where a study's model re-optimises its hyperparameters: on the ask path (`gpnav search`) or in
/// the background (the server), and a target below one trial refused by the study's rules.
@Suite("Study model refresh")
struct StudyModelRefreshTests {
    let scratch: ScratchDirectory
    let store: SQLiteTrialStore

    init() throws {
        scratch = try ScratchDirectory()
        store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
    }

    /// A study with `count` complete trials (chain first, then proposals), told a smooth accuracy.
    func study(completing count: Int, target: Int = 20) async throws -> (session: StudySession, trials: [Trial]) {
        let session = try await StudySession.open(store: store, name: "s", settings: StudySessionTests.settings(trials: target),
                                                  mode: .createOrConfirm, leaseSeconds: 120)
        for _ in 0..<count {
            let trial = try #require(try await session.ask(worker: "w", count: 1).trials.first).trial
            let accuracy = 60 + 8 * trial.architecture.width + Double(trial.architecture.resolution) / 100
            _ = try await session.tell(trial: trial.number, result: EvaluationResult(accuracy: accuracy))
        }
        return (session, try store.trials(TrialQuery(study: "s")))
    }

    static func points(_ trials: [Trial]) -> [(architecture: Architecture, accuracy: Double)] {
        StudyModel.observed(trials).compactMap { trial in trial.accuracy.map { (trial.architecture, $0) } }
    }

    /// The noise floor the study's model applies to `trials` (points^2).
    static func floor(_ trials: [Trial]) -> Double { TrainingNoise(trials: StudyModel.observed(trials)).floorVariance }

    /// The same signal variance and length scales: the noise is clamped to the study's floor in the
    /// targets' normalised units, which move with every new result.
    static func sameSignalAndScales(_ a: Kernel, _ b: Kernel) -> Bool {
        a.signalVariance == b.signalVariance && a.lengthScales == b.lengthScales
    }

    @Test func inlineRefreshOptimisesTheHyperparametersInsideTheCall() async throws {
        let (session, trials) = try await study(completing: 6)
        var model = StudyModel(study: session.study)
        let fitted = try model.model(for: trials)
        let expected = try AccuracyModel.fit(Self.points(trials), encoding: model.encoding, optimize: true, restarts: 2,
                                             seed: session.study.seed &+ 6, noiseFloor: Self.floor(trials))
        #expect(fitted.process.kernel == expected.process.kernel)
        #expect(model.backgroundRefit == nil)
    }

    @Test func aBackgroundModelAnswersWhileItsSearchIsHeldAndSwapsTheResultInAfter() async throws {
        let (session, trials) = try await study(completing: 7)
        let six = trials.filter { $0.state == .complete }.sorted { $0.number < $1.number }.prefix(6)
        var model = StudyModel(study: session.study, refresh: .background)
        let refit = try #require(model.backgroundRefit)
        let gate = DispatchSemaphore(value: 0)
        refit.queue.async { gate.wait() }

        // The search is held: the model conditions on the data with the hyperparameters it has.
        let first = try model.model(for: Array(six))
        #expect(refit.isRunning)
        #expect(first.process.kernel.lengthScales.allSatisfy { $0 == 0.5 }, "the default kernel, not optimised")
        let second = try model.model(for: trials)
        #expect(second.observationCount == 7)
        #expect(Self.sameSignalAndScales(second.process.kernel, first.process.kernel), "no new hyperparameters before the search ends")
        #expect(model.fitCount == 2)

        gate.signal()
        refit.queue.sync {}
        #expect(!refit.isRunning)
        let swapped = try model.model(for: trials)
        let searched = try AccuracyModel.fit(Self.points(Array(six)), encoding: model.encoding, optimize: true,
                                             restarts: 2, seed: session.study.seed &+ 6, noiseFloor: Self.floor(Array(six)))
        #expect(Self.sameSignalAndScales(swapped.process.kernel, searched.process.kernel),
                "the held search's hyperparameters, for 6 results")
        #expect(swapped.observationCount == 7, "conditioned on every result")
        #expect(model.fitCount == 4, "the swapped-in search and the factorisation with it")
    }

    @Test func aBackgroundModelRunsOneSearchAtATime() async throws {
        let (session, trials) = try await study(completing: 7)
        var model = StudyModel(study: session.study, refresh: .background)
        let refit = try #require(model.backgroundRefit)
        refit.queue.suspend()
        _ = try model.model(for: Array(trials.dropLast(1)))
        #expect(!refit.start { _ in nil }, "a second search is not started while one is queued")
        _ = try model.model(for: trials)
        refit.queue.resume()
        refit.queue.sync {}
        #expect(refit.takeFinished() != nil)
        #expect(refit.takeFinished() == nil, "exactly one search ran")
    }

    @Test func stoppedSearchesAreToldToGiveUpAreWaitedForAndNeverStartAgain() async throws {
        let refit = BackgroundRefit()
        let started = DispatchSemaphore(value: 0)
        let sawStop = Mutex(false)
        #expect(refit.start { shouldStop in
            started.signal()
            // A search that polls between steps; it would run for a minute if never stopped.
            let deadline = Date().addingTimeInterval(60)
            while !shouldStop(), Date() < deadline { usleep(1_000) }
            sawStop.withLock { $0 = shouldStop() }
            return nil
        })
        started.wait()
        #expect(refit.isRunning)
        await refit.stop()
        #expect(sawStop.withLock { $0 }, "the running search was told to stop, and stop() waited for it")
        #expect(!refit.isRunning)
        #expect(!refit.start { _ in nil }, "no search starts after stop()")
        #expect(refit.takeFinished() == nil)
    }

    @Test func aSearchRunsNicerThanTheQueueThatStartsItAndLeavesThatQueueAsItWas() async throws {
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let refit = BackgroundRefit()
        // The nice value of the queue's own threads (libdispatch sets one per QoS class).
        func queueNiceness() -> Int32? {
            let seen = Mutex<Int32?>(nil)
            refit.queue.async { seen.withLock { $0 = getpriority(which, 0) } }
            refit.queue.sync {}
            return seen.withLock { $0 }
        }
        let queueBefore = try #require(queueNiceness())
        let inSearch = Mutex<Int32?>(nil)
        #expect(refit.start { _ in
            inSearch.withLock { $0 = getpriority(which, 0) }
            return nil
        })
        await refit.stop()
        #expect(inSearch.withLock { $0 } == min(queueBefore + NicedThread.niceness, 19))
        #expect(queueNiceness() == queueBefore, "the queue's own threads are not reniced")
    }

    @Test func aSessionWhoseSearchesWereStoppedStillAsksAndTellsToItsTarget() async throws {
        let session = try await StudySession.open(store: store, name: "s", settings: StudySessionTests.settings(trials: 8),
                                                  mode: .createOrConfirm, leaseSeconds: 120, refresh: .background)
        for _ in 0..<4 {
            let trial = try #require(try await session.ask(worker: "w", count: 1).trials.first?.trial)
            _ = try await session.tell(trial: trial.number, result: EvaluationResult(accuracy: 60 + trial.architecture.width))
        }
        await session.stopBackgroundSearches()
        let refit = try #require(await session.proposer?.backgroundRefit())
        #expect(refit.isStopped && !refit.isRunning)
        while let trial = try await session.ask(worker: "w", count: 1).trials.first?.trial {
            _ = try await session.tell(trial: trial.number, result: EvaluationResult(accuracy: 60 + trial.architecture.width))
            #expect(!refit.isRunning, "no search starts after the stop")
        }
        #expect(try await session.status().complete == 8)
    }

    @Test func aServerSessionAsksAndTellsToItsTargetWithBackgroundRefits() async throws {
        let session = try await StudySession.open(store: store, name: "s", settings: StudySessionTests.settings(trials: 14),
                                                  mode: .createOrConfirm, leaseSeconds: 120, refresh: .background)
        var numbers = Set<Int>()
        while true {
            let answer = try await session.ask(worker: "w", count: 1)
            guard let trial = answer.trials.first?.trial else {
                #expect(answer.done && !answer.exhausted)
                break
            }
            numbers.insert(trial.number)
            _ = try await session.tell(trial: trial.number, result: EvaluationResult(accuracy: 60 + trial.architecture.width))
        }
        #expect(numbers == Set(0..<14))
        #expect(session.modelFitStatistics.fits > 0)
    }

    @Test func aTargetBelowOneTrialIsAStudyErrorNotAStoreFailure() async throws {
        await #expect(throws: StudyError.invalidTarget(-3)) {
            try await StudySession.open(store: store, name: "s", settings: StudySessionTests.settings(trials: -3), mode: .create,
                                        leaseSeconds: 120)
        }
        #expect(try store.study(named: "s") == nil)
        _ = try await StudySession.open(store: store, name: "s", settings: StudySessionTests.settings(trials: 5), mode: .create,
                                        leaseSeconds: 120)
        await #expect(throws: StudyError.invalidTarget(0)) {
            try await StudySession.open(store: store, name: "s", settings: StudySettings(targetTrials: 0, evaluator: "test"),
                                        given: [.targetTrials, .evaluator], mode: .resume, leaseSeconds: 120)
        }
        #expect(try store.study(named: "s")?.targetTrials == 5)
    }
}
