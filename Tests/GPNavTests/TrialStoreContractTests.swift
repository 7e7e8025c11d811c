import Foundation
import GaussianProcess
import Testing
@testable import GPNav
import MobileViT

/// The trial store contract: every test runs against every backend (``StoreBackend``), as Optuna's
/// storage tests do, so both keep exactly the same guarantees.
// Serialized: each test opens a fresh PostgreSQL schema and migrates it; dozens at once on a
// 2-core machine passed the store's 20 s statement timeout (CI, 21 tests at once).
@Suite("Trial store contract", .serialized)
struct TrialStoreContractTests {
    @Test(arguments: StoreBackend.available)
    func studyRoundTripsEveryField(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        let study = Study(
            name: "params 5M, \"quoted\"", createdAt: Date(timeIntervalSince1970: 1_700_000_000.25),
            settings: StudySettings(space: SearchSpace(resolutions: [128, 256], widths: [0.5, 0.75], mv2DepthMultipliers: [1],
                               vitDepthMultipliers: [0.5, 1], classes: 100),
            budget: Budget(macs: nil, params: 5_000_000, memoryBytes: 2_500_000, bits: 4), targetTrials: 30,
            seed: UInt64.max, stepFactor: 0.30000000000000004, jointFactors: false,
            start: try Architecture(resolution: 128, width: 0.5), evaluator: "command: ./train.sh {resolution}"),
            objectives: ["accuracy:max", "params:min"])
        let stored = try await store.createStudy(study)
        #expect(stored.id != nil)
        var expected = study
        expected.id = stored.id
        #expect(try await store.study(named: study.name) == expected)
        #expect(try await store.studies() == [expected])
        #expect(try await store.study(named: "nope") == nil)
    }

    @Test(arguments: StoreBackend.available)
    func duplicateStudyNameIsRefused(backend: StoreBackend) async throws {
        let (store, _, _) = try await backend.storeWithStudy()
        await #expect(throws: StoreError.duplicateStudy("macs-300M")) { try await store.createStudy(Fixtures.study()) }
    }

    @Test(arguments: StoreBackend.available)
    func trialRoundTripsEveryField(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        var trial = try Fixtures.trial(
            studyID: try #require(study.id), resolution: 224, width: 0.8125, mv2Depths: [2, 3], vitDepths: [1, 2, 2],
            macs: 298_123_456, params: 2_345_678, accuracy: 74.83, metrics: ["top5": 92.1, "latency_ms": 3.5],
            proposal: Proposal(kind: .gp, acquisition: -1.25, predictedAccuracy: 74.5, predictedStd: 0.75),
            startedAt: Date(timeIntervalSince1970: 1_763_683_200.125))
        trial.evaluatorOutput = "epoch 1\nepoch 2, \"done\""
        trial.error = nil
        trial.heartbeatAt = Date(timeIntervalSince1970: 1_763_683_230)
        let stored = try await store.addFinishedTrial(trial)
        #expect(stored.number == 0)
        var expected = trial
        expected.id = stored.id
        let back = try await store.trials(TrialQuery())
        #expect(back == [expected])
        #expect(try await store.trials(ids: [try #require(stored.id)]) == [expected])
    }

    @Test(arguments: StoreBackend.available)
    func numbersAreAssignedPerStudyFromZeroWithoutGaps(backend: StoreBackend) async throws {
        let (store, first, _) = try await backend.storeWithStudy()
        let second = try await store.createStudy(Fixtures.study("other"))
        var numbers: [Int] = []
        for index in 0..<5 {
            let studyID = try #require(index.isMultiple(of: 2) ? first.id : second.id)
            let trial = try Fixtures.trial(studyID: studyID, state: .running)
            numbers.append(try #require(try await store.insertTrial(trial, claimKey: nil)).number)
        }
        #expect(numbers == [0, 0, 1, 1, 2])
        await #expect(throws: StoreError.self) { try await store.insertTrial(try Fixtures.trial(studyID: 999), claimKey: nil) }
    }

    @Test(arguments: StoreBackend.available)
    func insertWithAClaimKeyStoresNothingWhenTheStudyHoldsTheKeyAndUsesUpNoNumber(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let other = try await store.createStudy(Fixtures.study("other"))
        let trial = try Fixtures.trial(studyID: try #require(study.id), state: .running)
        let first = try #require(try await store.insertTrial(trial, claimKey: "a#0"))
        #expect(first.number == 0 && first.state == .running)
        #expect(try await store.insertTrial(trial, claimKey: "a#0") == nil)
        #expect(try await store.insertTrial(trial, claimKey: "a#1")?.number == 1)
        // Without a key nothing is refused; a key is per study.
        #expect(try await store.insertTrial(trial, claimKey: nil)?.number == 2)
        #expect(try await store.insertTrial(trial, claimKey: nil)?.number == 3)
        var elsewhere = trial
        elsewhere.studyID = try #require(other.id)
        #expect(try await store.insertTrial(elsewhere, claimKey: "a#0")?.number == 0)
        #expect(try await store.trials(TrialQuery(study: study.name)).map(\.number) == [0, 1, 2, 3])
    }

    @Test(arguments: StoreBackend.available)
    func compareAndSetChangesATrialOnlyInTheExpectedStateAndLastSeenBeforeTheTime(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        var trial = try Fixtures.trial(studyID: try #require(study.id), state: .running)
        trial.heartbeatAt = Fixtures.epoch
        let id = try #require(try await store.insertTrial(trial, claimKey: nil)?.id)
        let done = TrialOutcome(state: .complete, accuracy: 76.5, metrics: ["top5": 93], evaluatorOutput: "ok")
        #expect(try await !store.compareAndSetTrial(id: id, expected: .abandoned, lastSeenBefore: nil, outcome: done, signOfLife: true))
        // Last seen at the epoch: not before the epoch itself, but before a second later.
        #expect(try await !store.compareAndSetTrial(id: id, expected: .running, lastSeenBefore: Fixtures.epoch,
                                                    outcome: done, signOfLife: true))
        #expect(try await store.trials(TrialQuery()).map(\.state) == [.running])
        let given = TrialOutcome(state: .abandoned, error: "gone")
        #expect(try await store.compareAndSetTrial(id: id, expected: .running, lastSeenBefore: Fixtures.epoch.addingTimeInterval(1),
                                                   outcome: given, signOfLife: false))
        let abandoned = try #require(try await store.trials(TrialQuery()).first)
        #expect(abandoned.state == .abandoned && abandoned.error == "gone" && abandoned.accuracy == nil)
        #expect(abandoned.heartbeatAt == Fixtures.epoch && abandoned.finishedAt != nil)
        #expect(try await !store.compareAndSetTrial(id: id, expected: .running, lastSeenBefore: nil, outcome: done, signOfLife: true))
        #expect(try await store.compareAndSetTrial(id: id, expected: .abandoned, lastSeenBefore: nil, outcome: done, signOfLife: true))
        let complete = try #require(try await store.trials(TrialQuery()).first)
        #expect(complete.state == .complete && complete.accuracy == 76.5 && complete.metrics == ["top5": 93])
        #expect(complete.evaluatorOutput == "ok" && complete.error == nil)
        #expect(try #require(complete.heartbeatAt) > Fixtures.epoch)
        await #expect(throws: StoreError.unknownTrial(999)) {
            try await store.compareAndSetTrial(id: 999, expected: .running, lastSeenBefore: nil, outcome: done, signOfLife: true)
        }
    }

    @Test(arguments: StoreBackend.available)
    func heartbeatMovesOnlyARunningTrialsSignOfLife(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        var running = try Fixtures.trial(studyID: try #require(study.id), state: .running)
        running.heartbeatAt = Fixtures.epoch
        let id = try #require(try await store.insertTrial(running, claimKey: nil)?.id)
        let finished = try await store.addFinishedTrial(try Fixtures.trial(studyID: try #require(study.id)))
        try await store.heartbeat(trialID: id)
        try await store.heartbeat(trialID: try #require(finished.id))
        let trials = try await store.trials(TrialQuery())
        #expect(try #require(trials[0].heartbeatAt) > Fixtures.epoch)
        #expect(trials[1].heartbeatAt == nil)
        await #expect(throws: StoreError.unknownTrial(999)) { try await store.heartbeat(trialID: 999) }
    }

    @Test(arguments: StoreBackend.available)
    func trialsOfOneArchitectureAreFoundByItsCanonicalText(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let studyID = try #require(study.id)
        for width in [0.5, 0.75, 0.5, 0.1 + 0.2] {
            _ = try await store.addFinishedTrial(try Fixtures.trial(studyID: studyID, width: width))
        }
        let half = try Architecture(resolution: 256, width: 0.5)
        #expect(try await store.trials(TrialQuery(study: study.name, architecture: half)).map(\.number) == [0, 2])
        let odd = try Architecture(resolution: 256, width: 0.1 + 0.2)
        #expect(try await store.trials(TrialQuery(architecture: odd)).map(\.number) == [3])
        #expect(try await store.trials(TrialQuery(architecture: try Architecture(resolution: 128, width: 0.5))).isEmpty)
    }

    @Test(arguments: StoreBackend.available)
    func deletingStudyDeletesItsTrialsOnly(backend: StoreBackend) async throws {
        let (store, first, _) = try await backend.storeWithStudy()
        let second = try await store.createStudy(Fixtures.study("keep"))
        for study in [first, second] {
            for _ in 0..<3 { _ = try await store.addFinishedTrial(try Fixtures.trial(studyID: try #require(study.id))) }
        }
        try await store.deleteStudy(named: first.name)
        #expect(try await store.studies().map(\.name) == ["keep"])
        #expect(try await store.trials(TrialQuery()).map(\.studyID) == Array(repeating: try #require(second.id), count: 3))
        await #expect(throws: StoreError.unknownStudy(first.name, known: ["keep"])) { try await store.deleteStudy(named: first.name) }
        await #expect(throws: StoreError.unknownStudy("x", known: ["keep"])) { try await store.trials(TrialQuery(study: "x")) }
    }

    @Test(arguments: StoreBackend.available)
    func summariesCountTrialsByStateAndBestCompleteAccuracyWithinBudget(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let studyID = try #require(study.id)
        _ = try await store.createStudy(Fixtures.study("empty", createdAt: Fixtures.epoch.addingTimeInterval(1)))
        // The study's budget is 300M MACs: the 79.0 trial above it is history, not the best.
        for (state, accuracy, macs) in [(TrialState.complete, 71.5, 290_000_000), (.complete, 77.25, 300_000_000),
                                        (.failed, 0, 200_000_000), (.running, 0, 200_000_000), (.complete, 75, 250_000_000),
                                        (.complete, 79, 300_000_001)] {
            _ = try await store.addFinishedTrial(try Fixtures.trial(studyID: studyID, state: state, macs: macs, accuracy: accuracy))
        }
        let summaries = try await store.studySummaries()
        #expect(summaries.map(\.study.name) == ["macs-300M", "empty"])
        #expect(summaries[0].counts == [.complete: 4, .failed: 1, .running: 1])
        #expect(summaries[0].bestAccuracy == 77.25)
        #expect(summaries[1].counts.isEmpty)
        #expect(summaries[1].bestAccuracy == nil)
    }

    @Test(arguments: StoreBackend.available)
    func queriesFilterSortAndLimitLikeAReferenceInMemory(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let other = try await store.createStudy(Fixtures.study("other"))
        var generator = SplitMix64(state: 7)
        var all: [Trial] = []
        for index in 0..<120 {
            let states: [TrialState] = [.complete, .complete, .complete, .failed, .running, .pruned]
            let state = states[Int.random(in: 0..<states.count, using: &generator)]
            let studyID = try #require(index % 3 == 0 ? other.id : study.id)
            // Accuracy and MACs from small sets, so sorting has ties to break.
            all.append(try await store.addFinishedTrial(try Fixtures.trial(
                studyID: studyID, state: state, macs: 100_000_000 * Int.random(in: 1...5, using: &generator),
                params: Int.random(in: 1_000_000...9_000_000, using: &generator),
                accuracy: Double(Int.random(in: 700...720, using: &generator)) / 10)))
        }
        let queries = [
            TrialQuery(sort: .accuracy, descending: true, limit: 20),
            TrialQuery(study: "macs-300M", state: .complete, sort: .accuracy, descending: true, limit: 5),
            TrialQuery(state: .complete, maxMACs: 300_000_000, minAccuracy: 71, sort: .macs),
            TrialQuery(study: "other", sort: .params, descending: true),
            TrialQuery(sort: .number, descending: true, limit: 7),
            TrialQuery(sort: .accuracy),
        ]
        for query in queries {
            var expected = all.filter { trial in
                (query.study == nil || trial.studyID == (query.study == "other" ? other.id : study.id))
                    && (query.state == nil || trial.state == query.state)
                    && (query.maxMACs.map { trial.macs <= $0 } ?? true)
                    && (query.minAccuracy.map { (trial.accuracy ?? -1) >= $0 } ?? true)
            }
            // Reference order: the key (missing accuracy lowest, as in SQL), then the row id / number.
            func key(_ trial: Trial) -> (Double, Int64, Int) {
                switch query.sort {
                case .accuracy: (trial.accuracy ?? -.infinity, trial.id ?? 0, 0)
                case .macs: (Double(trial.macs), trial.id ?? 0, 0)
                case .params: (Double(trial.params), trial.id ?? 0, 0)
                case .number: (Double(trial.studyID), Int64(trial.number), 0)
                }
            }
            expected.sort { query.descending ? key($0) > key($1) : key($0) < key($1) }
            if let limit = query.limit { expected = Array(expected.prefix(limit)) }
            #expect(try await store.trials(query) == expected, "\(query)")
        }
    }

    @Test(arguments: StoreBackend.available)
    func objectivePointsReadCompleteTrialsWithEveryObjective(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let studyID = try #require(study.id)
        let a = try await store.addFinishedTrial(try Fixtures.trial(studyID: studyID, macs: 10, params: 20, accuracy: 70, metrics: ["top5": 90]))
        _ = try await store.addFinishedTrial(try Fixtures.trial(studyID: studyID, macs: 11, params: 21, accuracy: 71))
        _ = try await store.addFinishedTrial(try Fixtures.trial(studyID: studyID, state: .failed, metrics: ["top5": 95]))
        let objectives = try Objective.parseList("accuracy:max,macs:min,top5:max")
        let points = try await store.objectivePoints(objectives, study: nil)
        #expect(points == [ObjectivePoint(trialID: try #require(a.id), values: [70, 10, 90])])
        #expect(try await store.objectivePoints(try Objective.parseList("params:min"), study: study.name).map(\.values) == [[20], [21]])
    }

    @Test(arguments: StoreBackend.available)
    func storeOfTheReleaseBeforeFamiliesUpgradesWithEveryTrialIntactAndCanonicalText(backend: StoreBackend) async throws {
        let location = try backend.newLocation()
        let studies = [Fixtures.study("macs-300M"), Fixtures.study("imported", createdAt: Fixtures.epoch.addingTimeInterval(5))]
        // Widths on the grid, decimal ones, one whose shortest form needs 17 digits, and integers.
        let shapes: [(Int, Double, [Int], [Int], Int)] = [
            (256, 1.0, [1, 2], [2, 4, 3], 1000), (224, 0.8125, [2, 3], [1, 2, 2], 1000), (192, 0.3, [1, 1], [1, 1, 1], 100),
            (160, 0.1 + 0.2, [3, 4], [2, 5, 3], 10), (320, 2.0, [1, 2], [4, 8, 6], 1000), (288, 3.123456789, [2, 2], [3, 3, 3], 7),
            (128, 0.1 + 0.7, [1, 3], [1, 1, 2], 1000),
        ]
        let states: [TrialState] = [.complete, .running, .failed, .pruned, .complete, .complete, .running]
        var trials: [Trial] = []
        for (index, shape) in shapes.enumerated() {
            let studyID: Int64 = index < 4 ? 1 : 2
            var trial = try Fixtures.trial(studyID: studyID, state: states[index], macs: 100_000_000 + index,
                                           params: 2_000_000 + index, accuracy: 70 + Double(index) / 8,
                                           metrics: index == 0 ? ["top5": 91.25] : [:],
                                           proposal: Proposal(kind: .gp, acquisition: -1.5, predictedAccuracy: 70.5, predictedStd: 0.25),
                                           startedAt: Fixtures.epoch.addingTimeInterval(Double(index)))
            trial.architecture = try Architecture(resolution: shape.0, width: shape.1, mv2Depths: shape.2, vitDepths: shape.3,
                                                  classes: shape.4)
            trial.number = trials.filter { $0.studyID == studyID }.count
            trial.id = Int64(index + 1)
            trial.error = states[index] == .failed ? "out of memory, \"CUDA\" said; it's over" : nil
            trial.evaluatorOutput = "epoch 1\nepoch 2 'done'"
            trial.heartbeatAt = trial.startedAt.addingTimeInterval(30)
            trial.worker = "host-a:\(100 + index)"
            trials.append(trial)
        }
        let claimed: Set<Int> = [1, 6]
        try await ReleaseSchemaStore.make(backend, at: location, studies: studies, trials: trials, claimed: claimed)

        let store = try await openStore(location, access: .readWrite(createIfMissing: false))
        var expectedStudies = studies
        for index in expectedStudies.indices { expectedStudies[index].id = Int64(index + 1) }
        #expect(try await store.studies() == expectedStudies)
        #expect(try await store.studies().map(\.family) == ["mobilevitv2", "mobilevitv2"])
        #expect(try await store.trials(TrialQuery(sort: .number)) == trials)
        #expect(try await ReleaseSchemaStore.texts("SELECT architecture FROM trials ORDER BY id", at: location)
            == trials.map(\.architecture.canonicalJSON))
        #expect(try await ReleaseSchemaStore.texts("SELECT family FROM trials ORDER BY id", at: location)
            == Array(repeating: "mobilevitv2", count: trials.count))
        // The depths are in the architecture's text under the family's names, in no column of MobileViTv2's.
        let columns = try await ReleaseSchemaStore.texts(backend == .sqlite ? "SELECT name FROM pragma_table_info('trials')"
            : "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'trials' AND table_schema = current_schema()",
            at: location)
        #expect(columns.contains("architecture") && !columns.contains("mv2_depths") && !columns.contains("vit_depths"), "\(columns)")
        if backend == .postgres {
            #expect(try await ReleaseSchemaStore.texts("SELECT claim_key FROM trials WHERE claim_key IS NOT NULL ORDER BY id", at: location)
                == claimed.sorted().map { trials[$0].architecture.canonicalJSON + "#0" })
        }
        // Every upgraded architecture is found by its canonical text.
        for trial in trials {
            let query = TrialQuery(study: studies[Int(trial.studyID) - 1].name, architecture: trial.architecture)
            #expect(try await store.trials(query).map(\.id) == [trial.id], "\(trial.architecture)")
        }
    }

    @Test(arguments: StoreBackend.available)
    func studyFamilyAndTrialCanonicalTextAreStored(backend: StoreBackend) async throws {
        let (store, location) = try await backend.newStore()
        var study = Fixtures.study("v1")
        study.space = SearchSpace(family: MobileViTv1Family())
        let stored = try await store.createStudy(study)
        #expect(try await store.study(named: "v1")?.family == "mobilevit")
        // Updating a study's settings keeps the family it searches, in its settings and its column.
        var updated = stored
        updated.targetTrials = 99
        #expect(try await store.updateStudy(updated).family == "mobilevit")
        #expect(try await ReleaseSchemaStore.texts("SELECT family FROM studies", at: location) == ["mobilevit"])
        let v2 = try await store.createStudy(Fixtures.study("v2"))
        let trial = try await store.addFinishedTrial(try Fixtures.trial(studyID: try #require(v2.id), width: 0.1 + 0.2))
        #expect(try await ReleaseSchemaStore.texts("SELECT architecture FROM trials", at: location) == [trial.architecture.canonicalJSON])
        #expect(try await ReleaseSchemaStore.texts("SELECT family FROM trials", at: location) == ["mobilevitv2"])
    }

    @Test(arguments: StoreBackend.available)
    func trialIsReadFromItsCanonicalTextAndABrokenTextIsACorruptRow(backend: StoreBackend) async throws {
        let (store, study, location) = try await backend.storeWithStudy()
        _ = try await store.addFinishedTrial(try Fixtures.trial(studyID: try #require(study.id)))
        let other = try Architecture(resolution: 160, width: 0.5, mv2Depths: [2, 2], vitDepths: [1, 1, 1], classes: 10)
        try await ReleaseSchemaStore.execute(["UPDATE trials SET architecture = \(ReleaseSchemaStore.literal(other.canonicalJSON))"],
                                       at: location)
        #expect(try await store.trials(TrialQuery()).map(\.architecture) == [other])
        try await ReleaseSchemaStore.execute([#"UPDATE trials SET architecture = '{"family":"mobilevitv2","width":1}'"#], at: location)
        await #expect(throws: StoreError.corruptRow(#"trial 0 has an invalid architecture: not an architecture in canonical JSON: {"family":"mobilevitv2","width":1}"#)) {
            try await store.trials(TrialQuery())
        }
    }

    @Test(arguments: StoreBackend.available)
    func nonFiniteValuesAreRefusedInsteadOfStoredAsNull(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let studyID = try #require(study.id)
        await #expect(throws: StoreError.self) { try await store.addFinishedTrial(try Fixtures.trial(studyID: studyID, accuracy: .nan)) }
        await #expect(throws: StoreError.self) {
            try await store.addFinishedTrial(try Fixtures.trial(studyID: studyID, metrics: ["loss": .infinity]))
        }
        #expect(try await store.trials(TrialQuery()).isEmpty)
    }
}
