import Foundation
import Testing
@testable import GPNav
import MobileViT

/// The rules of a trial's life (``TrialLifecycle``), run over every backend: they are written once,
/// above the stores, and must hold on each.
@Suite("Trial lifecycle")
struct TrialLifecycleTests {
    /// A trial of `architecture`'s resolution and width, as a search would propose it.
    static func proposal(_ study: Study, resolution: Int = 256, width: Double = 1.0, startedAt: Date = Date()) throws -> Trial {
        try Fixtures.trial(studyID: try #require(study.id), resolution: resolution, width: width, state: .running,
                           proposal: Proposal(kind: .gp), startedAt: startedAt)
    }

    @Test(arguments: StoreBackend.available)
    func racingClaimsFromSeparateStoresHaveExactlyOneWinnerPerArchitecture(backend: StoreBackend) async throws {
        let (_, study, location) = try await backend.storeWithStudy()
        let rounds = 4
        let wins = try await StoreBackend.concurrently(6, at: location) { store in
            let lifecycle = TrialLifecycle(store: store, study: study)
            var won: [Int] = []
            for round in 0..<rounds {
                let trial = try Self.proposal(study, resolution: 128 + 32 * round)
                if try await lifecycle.claim(trial, retryingAbandonedUpTo: 2) != nil { won.append(round) }
            }
            return won
        }.flatMap { $0 }
        #expect(wins.sorted() == Array(0..<rounds))
        let trials = try await openStore(location, access: .readOnly).trials(TrialQuery())
        #expect(trials.map(\.number) == Array(0..<rounds))
        #expect(trials.allSatisfy { $0.state == .running })
    }

    @Test(arguments: StoreBackend.available)
    func aClaimStoresARunningTrialOnlyForAnArchitectureTheStudyLacks(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let lifecycle = TrialLifecycle(store: store, study: study)
        _ = try await store.addFinishedTrial(try Fixtures.trial(studyID: try #require(study.id), width: 0.5))
        _ = try await store.addFinishedTrial(try Fixtures.trial(studyID: try #require(study.id), width: 0.75, state: .failed))
        for width in [0.5, 0.75] {
            #expect(try await lifecycle.claim(try Self.proposal(study, width: width), retryingAbandonedUpTo: 2) == nil)
        }
        var proposed = try Self.proposal(study, width: 1.0)
        proposed.accuracy = 99
        proposed.heartbeatAt = nil
        let claimed = try #require(try await lifecycle.claim(proposed))
        #expect(claimed.number == 2 && claimed.state == .running && claimed.accuracy == nil)
        #expect(claimed.heartbeatAt == proposed.startedAt, "alive since it started")
        #expect(try await lifecycle.claim(proposed) == nil)
        #expect(try await store.trials(TrialQuery()).count == 3)
    }

    @Test(arguments: StoreBackend.available)
    func anAbandonedArchitectureIsClaimedAgainUpToTheRetryLimit(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let lifecycle = TrialLifecycle(store: store, study: study)
        let old = Date(timeIntervalSince1970: 1_000_000_000)
        let retries = 2
        for attempt in 0...retries {
            #expect(try await lifecycle.claim(try Self.proposal(study, startedAt: old), retryingAbandonedUpTo: retries) != nil,
                    "attempt \(attempt)")
            // A second claim while it runs stores nothing.
            #expect(try await lifecycle.claim(try Self.proposal(study, startedAt: old), retryingAbandonedUpTo: retries) == nil)
            #expect(try await lifecycle.reap(lastSeenBefore: Date()) == 1)
        }
        #expect(try await lifecycle.claim(try Self.proposal(study), retryingAbandonedUpTo: retries) == nil,
                "three abandoned trials are more than two retries")
        // Without retries an abandoned trial takes its architecture like any other.
        #expect(try await lifecycle.claim(try Self.proposal(study)) == nil)
        let trials = try await store.trials(TrialQuery())
        #expect(trials.map(\.state) == Array(repeating: .abandoned, count: retries + 1))
        #expect(trials.map(\.number) == Array(0...retries))
    }

    @Test(arguments: StoreBackend.available)
    func runningTrialsWithoutASignOfLifeWithinTheLeaseAreAbandonedWithTheirReason(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let lifecycle = TrialLifecycle(store: store, study: study)
        let old = Date(timeIntervalSince1970: 1_000_000_000) // 2001-09-09T01:46:40Z
        _ = try await lifecycle.start(try Self.proposal(study, width: 0.5, startedAt: old))
        let fresh = try await lifecycle.start(try Self.proposal(study, width: 0.75))
        var beating = try await lifecycle.start(try Self.proposal(study, width: 1.0, startedAt: old))
        let beatingID = try #require(beating.id)
        try await store.heartbeat(trialID: beatingID)
        beating = try #require(try await store.trials(ids: [beatingID]).first)
        _ = try await store.addFinishedTrial(try Fixtures.trial(studyID: try #require(study.id), startedAt: old))
        let cutoff = Date().addingTimeInterval(-600)
        #expect(try await lifecycle.reap(lastSeenBefore: cutoff) == 1)
        let trials = try await store.trials(TrialQuery())
        #expect(trials.map(\.state) == [.abandoned, .running, .running, .complete])
        #expect(trials[0].error == "no heartbeat since 2001-09-09T01:46:40.000Z")
        #expect(trials[0].finishedAt != nil && trials[0].heartbeatAt == old, "its last sign of life is kept")
        #expect(trials[1].id == fresh.id && trials[2] == beating)
        #expect(try await lifecycle.reap(lastSeenBefore: cutoff) == 0)
        var unknown = study
        unknown.name = "nope"
        await #expect(throws: StoreError.unknownStudy("nope", known: ["macs-300M"])) {
            try await TrialLifecycle(store: store, study: unknown).reap(lastSeenBefore: cutoff)
        }
    }

    @Test(arguments: StoreBackend.available)
    func aRunningTrialWhoseProcessOnThisHostIsGoneIsAbandonedAtOnce(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let lifecycle = TrialLifecycle(store: store, study: study)
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let colon = try #require(WorkerIdentity.current.lastIndex(of: ":"))
        let host = WorkerIdentity.current[..<colon]
        let gone = "\(host):\(ended.processIdentifier)/0"
        var lost = try Self.proposal(study, width: 0.5)
        lost.worker = gone
        var alive = try Self.proposal(study, width: 0.75)
        alive.worker = WorkerIdentity.slot(0)
        var elsewhere = try Self.proposal(study, width: 1.0)
        elsewhere.worker = "another-host:\(ended.processIdentifier)"
        for trial in [lost, alive, elsewhere] { _ = try await lifecycle.start(trial) }
        #expect(try await lifecycle.reap(lastSeenBefore: Date().addingTimeInterval(-600)) == 1)
        let trials = try await store.trials(TrialQuery())
        #expect(trials.map(\.state) == [.abandoned, .running, .running])
        #expect(trials[0].error == "its process \(gone) is gone")
    }

    @Test(arguments: StoreBackend.available)
    func aLateResultCompletesAnAbandonedTrialOnceAndOnlyAnAbandonedOne(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let lifecycle = TrialLifecycle(store: store, study: study)
        let old = Date(timeIntervalSince1970: 1_000_000_000)
        let trial = try await lifecycle.start(try Self.proposal(study, startedAt: old))
        let id = try #require(trial.id)
        #expect(try await lifecycle.reap(lastSeenBefore: Date()) == 1)
        let result = TrialOutcome(state: .complete, accuracy: 71.25, metrics: ["top5": 90], evaluatorOutput: "late")
        await #expect(throws: StoreError.trialNotRunning(number: 0, state: .abandoned)) {
            try await lifecycle.finish(id: id, outcome: result)
        }
        try await lifecycle.completeLate(id: id, outcome: result)
        let complete = try #require(try await store.trials(ids: [id]).first)
        #expect(complete.state == .complete && complete.accuracy == 71.25 && complete.error == nil)
        #expect(complete.metrics == ["top5": 90] && complete.evaluatorOutput == "late")
        await #expect(throws: StoreError.trialNotRunning(number: 0, state: .complete)) {
            try await lifecycle.completeLate(id: id, outcome: result)
        }
        await #expect(throws: StoreError.unknownTrial(999)) { try await lifecycle.completeLate(id: 999, outcome: result) }
    }

    @Test(arguments: StoreBackend.available)
    func aRunningTrialEndsOnceWithItsOutcome(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let lifecycle = TrialLifecycle(store: store, study: study)
        let id = try #require(try await lifecycle.start(try Self.proposal(study)).id)
        try await lifecycle.finish(id: id, outcome: TrialOutcome(state: .failed, evaluatorOutput: "tail", error: "out of memory"))
        let failed = try #require(try await store.trials(ids: [id]).first)
        #expect(failed.state == .failed && failed.error == "out of memory" && failed.evaluatorOutput == "tail")
        await #expect(throws: StoreError.trialNotRunning(number: 0, state: .failed)) {
            try await lifecycle.finish(id: id, outcome: TrialOutcome(state: .complete, accuracy: 70))
        }
        #expect(try await lifecycle.reap(lastSeenBefore: Date().addingTimeInterval(3600)) == 0, "only running trials are reaped")
    }

    /// A store of the release before families, with a trial claimed then and one abandoned the old
    /// way (failed, `abandoned:` error): after the upgrade the old claim still takes its
    /// architecture, and the abandoned one is retried under the next attempt's key.
    @Test(arguments: StoreBackend.available)
    func claimsOnAnUpgradedStoreSeeItsOldClaimsAndRetryItsOldAbandonedTrials(backend: StoreBackend) async throws {
        let location = try backend.newLocation()
        var study = Fixtures.study()
        var running = try Fixtures.trial(studyID: 1, width: 0.5, state: .running)
        running.id = 1
        var lost = try Fixtures.trial(studyID: 1, width: 0.75, state: .failed)
        lost.id = 2
        lost.number = 1
        lost.error = "abandoned: no heartbeat since 2025-11-21T00:00:30.000Z"
        try await ReleaseSchemaStore.make(backend, at: location, studies: [study], trials: [running, lost], claimed: [0, 1])
        let store = try await openStore(location, access: .readWrite(createIfMissing: false))
        study.id = 1
        let lifecycle = TrialLifecycle(store: store, study: study)
        #expect(try await lifecycle.claim(try Self.proposal(study, width: 0.5), retryingAbandonedUpTo: 2) == nil)
        let retry = try #require(try await lifecycle.claim(try Self.proposal(study, width: 0.75), retryingAbandonedUpTo: 2))
        #expect(retry.number == 2)
        let trials = try await store.trials(TrialQuery())
        #expect(trials.map(\.state) == [.running, .abandoned, .running])
        #expect(trials[1].error == lost.error, "the reason is kept as it was")
    }
}
