import Foundation
import GPNav
import MobileViT
import Testing

@Suite("gpnav import and export")
struct ImportExportCommandTests {
    static let header = "resolution,width,mv2_depths,vit_depths,accuracy"

    /// FNV-1a over the file's bytes, plus the bytes themselves for an exact comparison.
    static func fingerprint(_ path: String) throws -> (hash: UInt64, bytes: Data) {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return (hash, bytes)
    }

    @Test func trialsCSVRoundTripsIntoAnotherDatabase() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let exported = try await fixture.runner.run(["trials", "--study", "s300", "--state", "complete", "--format", "csv"])
        #expect(exported.status == 0, "\(exported.stderr)")
        try exported.stdout.write(toFile: fixture.file("s300.csv"), atomically: true, encoding: .utf8)
        let imported = try await fixture.runner.run(["import", "s300.csv", "--study", "copy", "--db", "copy.sqlite"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout == "Imported 4 trials into study 'copy' (trials 0-3): 4 complete, 0 failed or pruned; study created.\n")

        let original = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly)
            .trials(TrialQuery(study: "s300", state: .complete))
        let copy = try SQLiteTrialStore(path: fixture.file("copy.sqlite"), access: .readOnly)
        let copied = try copy.trials(TrialQuery(study: "copy"))
        #expect(copied.map(\.architecture) == original.map(\.architecture))
        #expect(copied.map(\.accuracy) == original.map(\.accuracy))
        #expect(copied.map(\.metrics) == original.map(\.metrics))
        #expect(copied.map(\.startedAt) == original.map(\.startedAt))
        // Counts come from the cost model, not from the (made-up) numbers in the file.
        #expect(copied.map(\.macs) == original.map { CostModel.cost(of: $0.architecture).macs })
        #expect(copied.allSatisfy { $0.proposal.kind == .imported })
        let study = try #require(try copy.study(named: "copy"))
        #expect(study.evaluator == "import" && study.seed == 0 && study.budget == Budget())

        // Importing again appends with the next numbers.
        let again = try await fixture.runner.run(["import", "s300.csv", "--study", "copy", "--db", "copy.sqlite"])
        #expect(again.stdout.contains("(trials 4-7)"))
    }

    static let badFiles: [(name: String, content: String?, status: Int32, message: String)] = [
        ("missing", nil, 4, "gpnav: error: bad.csv: no such file\n"),
        ("empty", "", 3, "gpnav: error: bad.csv: empty file, expected a header row with resolution, width, accuracy\n"),
        ("no accuracy column", "resolution,width,mv2_depths,vit_depths\n256,1.0,\"1,2\",\"2,4,3\"\n", 3,
         "gpnav: error: bad.csv: line 1: the header lacks the required column accuracy (the columns of a trial CSV export)\n"),
        ("bad quoting", header + "\n256,1.0,\"1,2\",\"2,4,3\",78\n256,1.0,\"1,2\"x,\"2,4,3\",78\n", 3,
         "gpnav: error: bad.csv: line 3: unexpected text after a closing quote\n"),
        ("wrong type", header + "\n256,1.0,\"1,2\",\"2,4,3\",78\n192,0.75,\"1,2\",\"2,4,3\",71\n256,abc,\"1,2\",\"2,4,3\",78\n", 3,
         "gpnav: error: bad.csv: line 4: width 'abc' is not a number\n"),
        ("1 MB line", header + "\n256,1.0,\"1,2\",\"2,4,3\",78\n256,1.0,\"1,2\",\"2,4,3\",7\(String(repeating: "0", count: 1 << 20))\n", 3,
         "gpnav: error: bad.csv: line 3: column 'accuracy' holds 1048577 bytes, more than the 65536 allowed\n"),
    ]

    @Test(arguments: badFiles.indices)
    func badFilesAreOneLineAndLeaveTheDatabaseByteForByteUnchanged(index: Int) async throws {
        let bad = Self.badFiles[index]
        let fixture = try CLIFixture()
        try fixture.seed()
        if let content = bad.content { try content.write(toFile: fixture.file("bad.csv"), atomically: true, encoding: .utf8) }
        let before = try Self.fingerprint(fixture.file("gpnav.sqlite"))
        let listing = try fixture.contents()
        for study in ["s300", "fresh"] {
            let output = try await fixture.runner.run(["import", "bad.csv", "--study", study])
            #expect(output.status == bad.status, "\(bad.name): \(output.stderr)")
            #expect(output.stderr == bad.message, "\(bad.name)")
            #expect(output.stdout.isEmpty)
        }
        let after = try Self.fingerprint(fixture.file("gpnav.sqlite"))
        #expect(after.hash == before.hash, "\(bad.name)")
        #expect(after.bytes == before.bytes, "\(bad.name)")
        #expect(try fixture.contents() == listing)
        // Against a database that does not exist yet, nothing is created.
        let none = try await fixture.runner.run(["import", "bad.csv", "--study", "x", "--db", "new.sqlite"])
        #expect(none.status == bad.status)
        #expect(!FileManager.default.fileExists(atPath: fixture.file("new.sqlite")))
    }

    /// Parses the flat block YAML that `export --format cvnets-yaml` writes (two-space indents,
    /// `key: value`, comments) into dotted keys, e.g. `model.classification.mitv2.width_multiplier`.
    static func yamlKeys(_ text: String) -> [String: String] {
        var path: [String] = []
        var keys: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let body = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            guard !body.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let depth = body.prefix { $0 == " " }.count / 2
            let parts = body.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
            path = Array(path.prefix(depth)) + [String(parts[0])]
            let value = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            if !value.isEmpty { keys[path.joined(separator: ".")] = value }
        }
        return keys
    }

    static func integers(_ list: String?) -> [Int] {
        (list ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",")
            .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// A database with one study holding one trial whose depths the stock config cannot express.
    static func deepTrialFixture() throws -> (CLIFixture, Architecture) {
        let fixture = try CLIFixture()
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readWrite(createIfMissing: true))
        let study = try store.createStudy(CLIFixture.study("deep"))
        let architecture = try Architecture(resolution: 208, width: 0.6875, mv2Depths: [2, 3], vitDepths: [3, 6, 5], classes: 100)
        let cost = CostModel.cost(of: architecture)
        _ = try store.addFinishedTrial(Trial(studyID: study.id ?? -1, number: 0, state: .complete, architecture: architecture,
                                             macs: cost.macs, params: cost.params, accuracy: 73.125,
                                             proposal: Proposal(kind: .manual), startedAt: CLIFixture.epoch,
                                             finishedAt: CLIFixture.epoch))
        return (fixture, architecture)
    }

    @Test func cvnetsYAMLCarriesTheArchitectureInMLCVNetsKeysAndGPNavExtras() async throws {
        let (fixture, architecture) = try Self.deepTrialFixture()
        let output = try await fixture.runner.run(["export", "--study", "deep", "--trial", "0", "--format", "cvnets-yaml"])
        #expect(output.status == 0, "\(output.stderr)")
        let keys = Self.yamlKeys(output.stdout)
        #expect(keys["model.classification.name"] == "\"mobilevit_v2\"")
        #expect(keys["sampler.bs.crop_size_width"] == keys["sampler.bs.crop_size_height"])
        #expect(keys["image_augmentation.center_crop.size"] == "208")
        #expect(keys["image_augmentation.resize.size"] == "234")  // 208 x 9/8, as 256 -> 288
        let rebuilt = try Architecture(
            resolution: Int(keys["sampler.bs.crop_size_width"] ?? "") ?? 0,
            width: Double(keys["model.classification.mitv2.width_multiplier"] ?? "") ?? 0,
            mv2Depths: Self.integers(keys["gpnav.mv2_depths"]),
            vitDepths: Self.integers(keys["gpnav.vit_depths"]),
            classes: Int(keys["model.classification.n_classes"] ?? "") ?? 0)
        #expect(rebuilt == architecture)
        #expect(keys["gpnav.macs"] == String(CostModel.cost(of: architecture).macs))
        #expect(output.stdout.contains("# The depths differ from MobileViTv2's stock"))
    }

    @Test func jsonExportRoundTripsThroughAnImportCSV() async throws {
        let (fixture, architecture) = try Self.deepTrialFixture()
        let output = try await fixture.runner.run(["export", "--study", "deep", "--trial", "0", "--format", "json", "--out", "t.json"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture.file("t.json")))) as? [String: Any])
        #expect(json["macs"] as? Int == CostModel.cost(of: architecture).macs)
        #expect(json["params"] as? Int == CostModel.cost(of: architecture).params)
        #expect(json["accuracy"] as? Double == 73.125)
        #expect(json["family"] as? String == "mobilevitv2")
        // The exported fields, written as an import CSV, give back the same architecture.
        let list = { (key: String) in ((json[key] as? [Int]) ?? []).map(String.init).joined(separator: ",") }
        let csv = "resolution,width,mv2_depths,vit_depths,classes,accuracy\n"
            + "\(json["resolution"] ?? ""),\(json["width"] ?? ""),\"\(list("mv2_depths"))\",\"\(list("vit_depths"))\",\(json["classes"] ?? ""),\(json["accuracy"] ?? "")\n"
        try csv.write(toFile: fixture.file("t.csv"), atomically: true, encoding: .utf8)
        let imported = try await fixture.runner.run(["import", "t.csv", "--study", "back"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let back = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly).trials(TrialQuery(study: "back"))
        #expect(back.map(\.architecture) == [architecture])
        #expect(back.map(\.accuracy) == [73.125])
    }

    @Test func csvFamilyColumnImportsAndAFileWithoutItIsMobileViTv2() async throws {
        let fixture = try CLIFixture()
        let rows = "256,1.0,\"1,2\",\"2,4,3\",78\n192,0.75,\"1,2\",\"2,4,3\",71\n"
        try (Self.header + "\n" + rows).write(toFile: fixture.file("old.csv"), atomically: true, encoding: .utf8)
        try (Self.header + ",family\n" + rows.replacingOccurrences(of: "\n", with: ",mobilevitv2\n"))
            .write(toFile: fixture.file("new.csv"), atomically: true, encoding: .utf8)
        for name in ["old", "new"] {
            let output = try await fixture.runner.run(["import", name + ".csv", "--study", name])
            #expect(output.status == 0, "\(output.stderr)")
        }
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly)
        #expect(try store.trials(TrialQuery(study: "old")).map(\.architecture) == store.trials(TrialQuery(study: "new")).map(\.architecture))
        #expect(try store.studies().map(\.family) == ["mobilevitv2", "mobilevitv2"])
        // What `trials --format csv` writes, family column included, imports back as it was.
        let exported = try await fixture.runner.run(["trials", "--study", "new", "--format", "csv"])
        let records = try CSV.parse(exported.stdout)
        let familyColumn = try #require(records.first?.fields.firstIndex(of: "family"))
        #expect(records.dropFirst().map { $0.fields[familyColumn] } == ["mobilevitv2", "mobilevitv2"])
        try exported.stdout.write(toFile: fixture.file("again.csv"), atomically: true, encoding: .utf8)
        #expect(try await fixture.runner.run(["import", "again.csv", "--study", "again"]).status == 0)
        #expect(try store.trials(TrialQuery(study: "again")).map(\.architecture) == store.trials(TrialQuery(study: "new")).map(\.architecture))
    }

    @Test func csvOfAnUnknownFamilyIsRefusedWithItsLineAndNothingStored() async throws {
        let fixture = try CLIFixture()
        let text = Self.header + ",family\n256,1.0,\"1,2\",\"2,4,3\",78,mobilevitv2\n256,1.0,\"1,2\",\"2,4,3\",78,resnet\n"
        try text.write(toFile: fixture.file("bad.csv"), atomically: true, encoding: .utf8)
        let output = try await fixture.runner.run(["import", "bad.csv", "--study", "s"])
        #expect(output.status == 3)
        #expect(output.stderr == "gpnav: error: bad.csv: line 3: \(ArchitectureError.unknownFamily("resnet"))\n")
        #expect(!FileManager.default.fileExists(atPath: fixture.file("gpnav.sqlite")))
    }

    @Test func trialBestIsTheCompleteTrialWithinTheBudgetWithTheHighestAccuracy() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        // s300's budget is 300M: trial 0 (75.6 %) and 4 (69 %) are over it, 1 (70.18 %) is the best within.
        let best = try await fixture.runner.run(["export", "--study", "s300", "--trial", "best"])
        #expect(best.status == 0, "\(best.stderr)")
        #expect(best.stdout == (try await fixture.runner.run(["export", "--study", "s300", "--trial", "1"])).stdout)
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readWrite(createIfMissing: false))
        _ = try store.createStudy(CLIFixture.study("empty"))
        let none = try await fixture.runner.run(["export", "--study", "empty", "--trial", "best"])
        #expect(none.status == 4)
        #expect(none.stderr == "gpnav: error: study 'empty' has no trials yet\n")
        let over = try await fixture.runner.run(["export", "--study", "other", "--trial", "best"])  // its one trial is 5 G MACs
        #expect(over.status == 4)
        #expect(over.stderr == "gpnav: error: study 'other' has no complete trial within its budget yet (see 'gpnav trials --study other')\n")
        let word = try await fixture.runner.run(["export", "--study", "s300", "--trial", "worst"])
        #expect(word.status == 2 && word.stderr.split(separator: "\n").count == 1, "\(word.stderr)")
    }

    @Test func unknownTrialOrStudyIsNotFound() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let trial = try await fixture.runner.run(["export", "--study", "s300", "--trial", "42"])
        #expect(trial.status == 4)
        #expect(trial.stderr == "gpnav: error: study 's300' has no trial 42; its trials are numbered 0 to 5 (see 'gpnav trials --study s300')\n")
        let study = try await fixture.runner.run(["export", "--study", "nope", "--trial", "0"])
        #expect(study.status == 4)
        #expect(study.stderr.split(separator: "\n").count == 1)
        let format = try await fixture.runner.run(["export", "--study", "s300", "--trial", "0", "--format", "tflite"])
        #expect(format.status == 2)
    }
}
