import Foundation
import GPNav
import MobileViT
import Testing

@Suite("gpnav copy")
struct CopyCommandTests {
    /// The stores a copy can go between in this run: SQLite always, PostgreSQL when a server is given.
    static var destinations: [String] { PostgresServer.url == nil ? ["sqlite"] : ["sqlite", "postgres"] }

    static func store(_ kind: String, in fixture: CLIFixture, name: String) throws -> String {
        kind == "postgres" ? try PostgresServer().newSchemaURL() : fixture.file(name)
    }

    @Test(arguments: destinations)
    func copyThereAndBackKeepsTheFamilyOfStudiesAndTrials(kind: String) async throws {
        let fixture = try CLIFixture()
        let source = try fixture.seed()
        var v1 = CLIFixture.study("v1")
        v1.space = SearchSpace(family: MobileViTv1Family())
        v1.createdAt = CLIFixture.epoch.addingTimeInterval(2)
        _ = try source.createStudy(v1)
        let middle = try Self.store(kind, in: fixture, name: "middle.sqlite")
        #expect(try await fixture.runner.run(["copy", "--from", "gpnav.sqlite", "--to", middle]).status == 0)
        #expect(try await fixture.runner.run(["copy", "--from", middle, "--to", "back.sqlite"]).status == 0)
        let copy = try SQLiteTrialStore(path: fixture.file("back.sqlite"), access: .readOnly)
        #expect(try copy.studies().map(\.family) == ["mobilevitv2", "mobilevitv2", "mobilevit"])
        let trials = try await fixture.runner.run(["trials", "--db", "back.sqlite", "--format", "json"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 7)
        #expect(objects.allSatisfy { $0["family"] as? String == "mobilevitv2" })
    }

    @Test(arguments: destinations)
    func copyThereAndBackKeepsEveryTrialAndRefusesExistingNames(kind: String) async throws {
        let fixture = try CLIFixture()
        let source = try fixture.seed()
        let middle = try Self.store(kind, in: fixture, name: "middle.sqlite")
        let there = try await fixture.runner.run(["copy", "--from", "gpnav.sqlite", "--to", middle])
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout == "copied study 's300': 6 trials\ncopied study 'other': 1 trials\n")
        let back = try await fixture.runner.run(["copy", "--from", middle, "--to", "back.sqlite", "--study", "s300"])
        #expect(back.status == 0, "\(back.stderr)")
        let copy = try SQLiteTrialStore(path: fixture.file("back.sqlite"), access: .readOnly)
        func comparable(_ trials: [Trial]) -> [Trial] {
            trials.map { var trial = $0; trial.id = nil; trial.studyID = 0; return trial }
        }
        #expect(comparable(try copy.trials(TrialQuery(study: "s300"))) == comparable(try source.trials(TrialQuery(study: "s300"))))
        #expect(try copy.studies().map(\.name) == ["s300"])
        var study = try #require(try copy.study(named: "s300"))
        var original = try #require(try source.study(named: "s300"))
        study.id = nil
        original.id = nil
        #expect(study == original)

        // Again: the names exist at the destination, so nothing is written.
        let again = try await fixture.runner.run(["copy", "--from", "gpnav.sqlite", "--to", middle])
        #expect(again.status == 2)
        #expect(again.stderr.hasPrefix("gpnav: error: a study named 's300' exists already"))
        // The advice names the destination: the default store may be the source.
        if kind == "sqlite" {
            #expect(again.stderr.hasSuffix("gpnav studies delete s300 --db \(middle)\n"), "\(again.stderr)")
        } else {
            #expect(again.stderr.contains("gpnav studies delete s300 --db 'postgresql://"), "\(again.stderr)")
        }
        let unknown = try await fixture.runner.run(["copy", "--from", "gpnav.sqlite", "--to", "x.sqlite", "--study", "nope"])
        #expect(unknown.status == 4)
        #expect(!FileManager.default.fileExists(atPath: fixture.file("x.sqlite")))
        if kind == "postgres" {
            let password = try PostgresServer().password
            for output in [there, back, again] {
                #expect(!output.stdout.contains(password) && !output.stderr.contains(password))
            }
        }
    }
}
