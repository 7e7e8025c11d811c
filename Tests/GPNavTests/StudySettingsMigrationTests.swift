import Foundation
import MobileViT
import Testing
@testable import GPNav

/// The migration that folds a study's settings into one JSON column (SQLite 0004, PostgreSQL
/// 0003): rows written in the old columns, with the old object of strings, read back with every
/// setting they had, on both stores.
@Suite("Study settings migration", .serialized)
struct StudySettingsMigrationTests {
    @Test(arguments: StoreBackend.available)
    func oldStudyRowsKeepEverySettingAndTheBudgetColumnsQueriesRead(backend: StoreBackend) async throws {
        let location = try backend.newLocation()
        let start = try #require(MobileViTv2Family().presets.last).architecture
        var search = Fixtures.study("search")
        search.settings = StudySettings(budget: Budget(macs: 300_000_000, params: 2_000_000), targetTrials: 40,
                                        seed: UInt64.max - 6, stepFactor: 0.7, jointFactors: false, start: start,
                                        evaluator: "python train.py --config {config} 'é'")
        var memory = Fixtures.study("memory", createdAt: Fixtures.epoch.addingTimeInterval(1))
        memory.settings = StudySettings(budget: Budget(memoryBytes: 1_500_000, bits: 8), targetTrials: 12, seed: 3,
                                        stepFactor: 0.30000000000000004, evaluator: "stub")
        var imported = Fixtures.study("imported", createdAt: Fixtures.epoch.addingTimeInterval(2))
        imported.settings = StudySettings(targetTrials: 0, evaluator: "import")
        let studies = [search, memory, imported]
        try await ReleaseSchemaStore.make(backend, at: location, studies: studies, trials: [])

        let store = try await openStore(location, access: .readWrite(createIfMissing: false))
        var expected = studies
        for index in expected.indices { expected[index].id = Int64(index + 1) }
        #expect(try await store.studies() == expected)
        // The seed is written unsigned, in full, into the one settings column.
        let texts = try await ReleaseSchemaStore.texts("SELECT settings FROM studies ORDER BY id", at: location)
        // (PostgreSQL's json_build_object writes a space around each colon.)
        let compact = texts.first?.replacingOccurrences(of: " : ", with: ":")
        #expect(compact?.contains(#""seed":18446744073709551609"#) == true, "\(texts.first ?? "")")
        #expect(try await ReleaseSchemaStore.texts("SELECT CAST(budget_bits AS TEXT) FROM studies WHERE budget_bits IS NOT NULL",
                                                   at: location) == ["8"])
        // Queries read the budget columns: the summary's best trial is one within the budget.
        let studyID = try #require(expected[0].id)
        _ = try await store.addFinishedTrial(try Fixtures.trial(studyID: studyID, macs: 400_000_000, accuracy: 80))
        _ = try await store.addFinishedTrial(try Fixtures.trial(studyID: studyID, width: 0.5, macs: 250_000_000,
                                                                params: 1_000_000, accuracy: 70))
        #expect(try await store.studySummaries().first?.bestAccuracy == 70)
        // Written back, the settings stay as they are.
        var updated = try #require(try await store.study(named: "search"))
        updated.targetTrials = 41
        #expect(try await store.updateStudy(updated).settings == { var s = search.settings; s.targetTrials = 41; return s }())
        try await store.close()
    }

    /// `Tests/Fixtures/store-before-families`, a file that release wrote: its studies keep the
    /// seed, target, evaluator and budget that release listed (`studies.json` beside it).
    @Test func theReleaseFixtureKeepsItsStudiesSettings() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("store.sqlite")
        try FileManager.default.copyItem(atPath: SchemaMigrationsTests.releaseFixture.appendingPathComponent("store.sqlite").path,
                                         toPath: path)
        let store = try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: false))
        let listed = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: SchemaMigrationsTests.releaseFixture.appendingPathComponent("studies.json"))) as? [[String: Any]])
        let studies = try store.studies()
        #expect(studies.count == listed.count)
        for (study, release) in zip(studies, listed) {
            #expect(study.name == release["study"] as? String)
            #expect(study.seed == (release["seed"] as? NSNumber)?.uint64Value)
            #expect(study.targetTrials == release["target_trials"] as? Int)
            #expect(study.evaluator == release["evaluator"] as? String)
            #expect(study.budget.macs == (release["budget"] as? [String: Any])?["macs"] as? Int)
            #expect(study.settings.stepFactor == StudySettings.defaultStepFactor && study.settings.jointFactors)
            #expect(study.settings.start == nil && study.space == .default)
        }
    }
}
