import Foundation
import MobileViT
import Testing
@testable import GPNav

@Suite("Trial import")
struct ImportTests {
    static let header = "resolution,width,mv2_depths,vit_depths,accuracy"

    @Test func readsTheTrialsExportAndRecomputesMACsAndParams() async throws {
        let directory = try TemporaryDirectory()
        let (store, study) = try Fixtures.store(at: directory.file("a.sqlite"))
        let id = try #require(study.id)
        // MACs and params in the fixture are made up: the import must not trust them.
        _ = try store.addFinishedTrial(try Fixtures.trial(studyID: id, resolution: 224, width: 0.75, mv2Depths: [2, 3],
                                                          vitDepths: [3, 6, 5], macs: 1, params: 2, accuracy: 74.25,
                                                          metrics: ["top5": 91.5]))
        _ = try store.addFinishedTrial(try Fixtures.trial(studyID: id, resolution: 160, width: 0.5, state: .failed))
        let csv = TrialExport.csv(try store.trials(TrialQuery()), studyNames: [id: study.name])
        let rows = try TrialImport.parse(csv, source: "t.csv")
        #expect(rows.count == 2)
        #expect(rows[0].line == 2)
        #expect(rows[0].architecture == (try Architecture(resolution: 224, width: 0.75, mv2Depths: [2, 3], vitDepths: [3, 6, 5])))
        #expect(rows[0].accuracy == 74.25)
        #expect(rows[0].metrics == ["top5": 91.5])
        #expect(rows[0].startedAt == Fixtures.epoch)
        #expect(rows[1].state == .failed)
        #expect(rows[1].accuracy == nil)
        let trials = TrialImport.trials(rows, studyID: 9)
        let cost = CostModel.cost(of: rows[0].architecture)
        #expect(trials[0].macs == cost.macs && trials[0].params == cost.params)
        #expect(trials[0].macs != 1)
        #expect(trials.allSatisfy { $0.proposal.kind == .imported && $0.studyID == 9 })
    }

    @Test func abandonedTrialsRoundTripAndFilesOfOlderReleasesMarkingThemFailedReadAsAbandoned() async throws {
        let directory = try TemporaryDirectory()
        let (store, study) = try Fixtures.store(at: directory.file("a.sqlite"))
        let id = try #require(study.id)
        var abandoned = try Fixtures.trial(studyID: id, resolution: 160, width: 0.5, state: .abandoned)
        abandoned.error = "no heartbeat since 2025-11-21T00:00:30.000Z"
        _ = try store.addFinishedTrial(abandoned)
        let csv = TrialExport.csv(try store.trials(TrialQuery()), studyNames: [id: study.name])
        #expect(csv.split(separator: "\n")[1].contains(",abandoned,"))
        let rows = try TrialImport.parse(csv, source: "a.csv")
        #expect(rows.map(\.state) == [.abandoned] && rows[0].error == abandoned.error)
        // An older release wrote them as failed, their error text beginning "abandoned:".
        let old = Self.header + ",state,error\n"
            + "256,1.0,\"1,2\",\"2,4,3\",,failed,abandoned: its process host:12 is gone\n"
            + "256,0.5,\"1,2\",\"2,4,3\",,failed,out of memory; abandoned: later\n"
        let legacy = try TrialImport.parse(old, source: "old.csv")
        #expect(legacy.map(\.state) == [.abandoned, .failed])
        #expect(legacy[0].error == "abandoned: its process host:12 is gone", "the reason is kept as it was")
    }

    @Test func csvOfTheReleaseWithFixedMobileViTv2DepthColumnsImportsUnchanged() throws {
        // The header and rows the README showed before the depth columns became the family's own.
        let old = """
            number,study,state,resolution,width,mv2_depths,vit_depths,classes,macs,params,accuracy,proposal,step,acquisition,started_at,finished_at,error,family,metric_noise_free_accuracy
            1,macs-300M,complete,256,0.5,"1,2","2,4,3",1000,466122920,1370593,70.59762041052196,start,0,,2026-11-21T01:22:38.893Z,2026-11-21T01:22:38.893Z,,mobilevitv2,70.5571585792915
            3,macs-300M,complete,160,0.8125,"1,1","1,1,1",1000,297272080,2083731,69.09875177092695,gp,,0.866230734467213,2026-11-21T01:22:38.949Z,2026-11-21T01:22:38.950Z,,mobilevitv2,68.83060002431681

            """
        let rows = try TrialImport.parse(old, source: "old.csv")
        #expect(rows.map(\.architecture) == [try Architecture(resolution: 256, width: 0.5, mv2Depths: [1, 2], vitDepths: [2, 4, 3]),
                                             try Architecture(resolution: 160, width: 0.8125, mv2Depths: [1, 1], vitDepths: [1, 1, 1])])
        #expect(rows.map(\.accuracy) == [70.59762041052196, 69.09875177092695])
        #expect(rows[1].metrics == ["noise_free_accuracy": 68.83060002431681])
        #expect(rows.allSatisfy { $0.state == .complete })
    }

    @Test func exportCarriesEachFamilysPartsUnderItsOwnNamesAndNoOtherFamilysColumns() async throws {
        let directory = try TemporaryDirectory()
        let (store, study) = try Fixtures.store(at: directory.file("m.sqlite"))
        let id = try #require(study.id)
        var trial = try Fixtures.trial(studyID: id, accuracy: 71.5)
        trial.architecture = try Architecture(family: MobileNetV2Family(), resolution: 160, width: 0.75,
                                              depths: ["depths": [1, 2, 2, 3, 2, 2, 1]])
        _ = try store.addFinishedTrial(trial)
        let csv = TrialExport.csv(try store.trials(TrialQuery()), studyNames: [id: study.name])
        let header = try #require(csv.split(separator: "\n").first).split(separator: ",").map(String.init)
        #expect(header == TrialExport.columns + ["depths"])
        #expect(try TrialImport.parse(csv, source: "m.csv").map(\.architecture) == [trial.architecture])
        let mobileViT = TrialExport.csv([try Fixtures.trial(studyID: id, accuracy: 70)], studyNames: [id: study.name])
        #expect(mobileViT.hasPrefix((TrialExport.columns + ["mv2_depths", "vit_depths"]).joined(separator: ",") + "\n"))
    }

    @Test func formulaLikeTextRoundTripsThroughExportAndImport() async throws {
        let directory = try TemporaryDirectory()
        let (store, study) = try Fixtures.store(at: directory.file("f.sqlite"), study: "=cmd|'/C calc'!A0")
        let id = try #require(study.id)
        var failed = try Fixtures.trial(studyID: id, resolution: 160, width: 0.5, state: .failed)
        failed.error = "-1 exit; @see '+log'"
        _ = try store.addFinishedTrial(failed)
        _ = try store.addFinishedTrial(try Fixtures.trial(studyID: id, accuracy: 70, proposal: Proposal(kind: .gp, acquisition: -1.5)))
        let csv = TrialExport.csv(try store.trials(TrialQuery()), studyNames: [id: study.name])
        let lines = csv.split(separator: "\n")
        #expect(lines[1].contains(",'=cmd|'/C calc'!A0,"))
        #expect(lines[1].contains(",'-1 exit; @see '+log'"))
        #expect(lines[2].contains(",-1.5,"))
        let rows = try TrialImport.parse(csv, source: "f.csv")
        #expect(rows[0].error == "-1 exit; @see '+log'")
        #expect(rows[1].accuracy == 70)
    }

    @Test func optionalColumnsMayBeMissingAndOthersAreIgnored() async throws {
        let text = "note,accuracy,vit_depths,width,mv2_depths,resolution,macs\r\nhello,70.5,\"2,4,3\",1.0,\"1,2\",256,banana\r\n"
        let rows = try TrialImport.parse(text, source: "t.csv", defaultClasses: 10)
        #expect(rows.count == 1)
        #expect(rows[0].state == .complete)
        #expect(rows[0].architecture.classes == 10)
        #expect(rows[0].architecture.resolution == 256)
    }

    @Test(arguments: [
        ("", "t.csv: empty file, expected a header row"),
        ("resolution,width,mv2_depths,vit_depths\n256,1.0,\"1,2\",\"2,4,3\"\n", "t.csv: line 1: the header lacks the required column accuracy"),
        (header + "\n", "t.csv: no trials to import"),
        (header + "\n256,1.0,\"1,2\",\"2,4,3\",78\n256,abc,\"1,2\",\"2,4,3\",78\n", "t.csv: line 3: width 'abc' is not a number"),
        (header + "\n256,1.0,\"1,2\",\"2,4,3\",78\n\n257,1.0,\"1,2\",\"2,4,3\",78\n", "t.csv: line 4: resolution"),
        (header + "\n256,1.0,\"1,2,\",\"2,4,3\",78\n", "t.csv: line 2: mv2_depths '1,2,' is not a comma-separated list"),
        (header + "\n256,1.0,\"1,2\",\"2,4\",78\n", "t.csv: line 2: "),
        (header + "\n256,1.0,\"1,2\",\"2,4,3\",\n", "t.csv: line 2: accuracy is empty; a complete trial needs one"),
        (header + "\n256,1.0,\"1,2\",\"2,4,3\",101\n", "t.csv: line 2: accuracy 101 is outside 0...100"),
        (header + "\n256,1.0,\"1,2\",\"2,4,3\",nan\n", "t.csv: line 2: accuracy 'nan' is not finite"),
        (header + "\n256,1.0,\"1,2\",\"2,4,3\"\n", "t.csv: line 2: 4 fields, the header has 5"),
        (header + ",state\n256,1.0,\"1,2\",\"2,4,3\",78,running\n", "t.csv: line 2: state 'running' cannot be imported"),
        (header + ",state\n256,1.0,\"1,2\",\"2,4,3\",78,done\n", "t.csv: line 2: state 'done' is not one of"),
        (header + ",metric_top5\n256,1.0,\"1,2\",\"2,4,3\",78,x\n", "t.csv: line 2: metric_top5 'x' is not a number"),
        (header + ",started_at\n256,1.0,\"1,2\",\"2,4,3\",78,yesterday\n", "t.csv: line 2: started_at 'yesterday' is not an ISO 8601"),
        (header + ",width\n", "t.csv: line 1: column 'width' appears twice"),
        (header + "\n256,1.0,\"1,2\",\"2,4,3\",78\n256,1.0,\"1,2\",\"2,4,3\"x,78\n", "t.csv: line 3: unexpected text after a closing quote"),
        (header + "\n256,1.0,\"1,2\",\"2,4,3,78\n", "t.csv: line 2: a quoted field is never closed"),
    ])
    func badFilesNameTheFirstBadLine(text: String, expected: String) {
        #expect {
            try TrialImport.parse(text, source: "t.csv")
        } throws: { error in
            guard let error = error as? TrialImportError else { return false }
            return error.kind == .data && error.description.hasPrefix(expected) && !error.description.contains("\n")
        }
    }

    @Test func rowsOfAnotherFamilyThanTheStudysAreRefusedNamingTheFirst() async throws {
        let rows = try TrialImport.parse(Self.header + ",family\n256,1.0,\"1,2\",\"2,4,3\",78,mobilevitv2\n", source: "t.csv")
        var study = Fixtures.study("v1")
        study.space = SearchSpace(family: MobileViTv1Family())
        #expect(throws: TrialImportError(message: "line 2: the architecture is of family 'mobilevitv2', but study 'v1' searches family 'mobilevit'")) {
            try TrialImport.checkFamily(rows, study: study)
        }
        try TrialImport.checkFamily(rows, study: Fixtures.study("v2"))
    }

    @Test func aOneMegabyteFieldIsRefusedWithoutEchoingIt() async {
        let huge = String(repeating: "9", count: 1 << 20)
        let text = Self.header + "\n256,1.0,\"1,2\",\"2,4,3\",78\n256,\(huge),\"1,2\",\"2,4,3\",78\n"
        #expect {
            try TrialImport.parse(text, source: "t.csv")
        } throws: { error in
            let message = (error as? TrialImportError)?.description ?? ""
            return message == "t.csv: line 3: column 'width' holds 1048576 bytes, more than the 65536 allowed"
        }
    }

    @Test func longValuesAreShortenedInMessages() async {
        let text = Self.header + "\n256,\(String(repeating: "x", count: 500)),\"1,2\",\"2,4,3\",78\n"
        #expect {
            try TrialImport.parse(text, source: "t.csv")
        } throws: { error in
            ((error as? TrialImportError)?.description.count ?? 1000) < 120
        }
    }

    @Test func missingFileIsNotFound() async {
        #expect {
            try TrialImport.load(path: "/nonexistent/trials.csv")
        } throws: { error in
            (error as? TrialImportError) == TrialImportError(kind: .notFound, message: "/nonexistent/trials.csv: no such file")
        }
    }

    @Test func addFinishedTrialsStoresAllWithConsecutiveNumbersOrNone() async throws {
        let directory = try TemporaryDirectory()
        let (store, study) = try Fixtures.store(at: directory.file("a.sqlite"))
        let id = try #require(study.id)
        _ = try store.addFinishedTrial(try Fixtures.trial(studyID: id))
        let batch = try (0..<3).map { _ in try Fixtures.trial(studyID: id, accuracy: 70) }
        let stored = try store.addFinishedTrials(batch)
        #expect(stored.map(\.number) == [1, 2, 3])
        #expect(stored.allSatisfy { $0.id != nil })

        // A bad trial in the middle: the whole batch is rolled back.
        var poisoned = batch
        poisoned[1].accuracy = .infinity
        #expect(throws: StoreError.self) { try store.addFinishedTrials(poisoned) }
        #expect(try store.trials(TrialQuery(study: study.name)).count == 4)
        #expect(try store.addFinishedTrials([]).isEmpty)
    }
}
