import Foundation
import GPNav
import Testing

@Suite("Study name rules")
struct StudyNameRulesTests {
    @Test(arguments: [
        ["search", "--macs", "300M", "--trials", "1", "--study", "bad\u{1B}]0;x\u{07}"],
        ["search", "--macs", "300M", "--trials", "1", "--study", ""],
        ["evaluate", "--model", "mobilevitv2-0.5", "--study", "line\nbreak"],
        ["evaluate", "--model", "mobilevitv2-0.5", "--study", String(repeating: "n", count: 201)],
        ["evaluate", "--model", "mobilevitv2-0.5", "--study", "rtl\u{202E}"],
    ])
    func aNewStudyWithABadNameIsRefusedBeforeTheDatabaseIsCreated(arguments: [String]) async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.run(arguments)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stderr.hasPrefix("gpnav: error: a study name "), "\(output.stderr)")
        #expect(try fixture.contents().isEmpty)
    }

    @Test func importRefusesABadNewNameAndCreatesNothing() async throws {
        let fixture = try CLIFixture()
        try "resolution,width,mv2_depths,vit_depths,accuracy\n256,1.0,\"1,2\",\"2,4,3\",70\n"
            .write(toFile: fixture.file("t.csv"), atomically: true, encoding: .utf8)
        let output = try await fixture.runner.run(["import", "t.csv", "--study", "   "])
        #expect(output.status == 2, "\(output.stderr)")
        #expect(try fixture.contents() == ["t.csv"])
    }

    @Test func bothUnicodeFormsOfANameAreOneStudy() async throws {
        let fixture = try CLIFixture()
        let first = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "2", "--study", "e\u{301}tude"])
        #expect(first.status == 0, "\(first.stderr)")
        let again = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "3", "--study", "\u{E9}tude", "--resume"])
        #expect(again.status == 0, "\(again.stderr)")
        let studies = try await fixture.runner.run(["studies", "--format", "json"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(studies.stdout.utf8)) as? [[String: Any]])
        // Stored in NFC (compared by scalars: Swift's == equates the two forms anyway).
        #expect(objects.map { ($0["study"] as? String).map { Array($0.unicodeScalars) } } == [Array("\u{E9}tude".unicodeScalars)])
        #expect(objects.first?["complete"] as? Int == 3)
    }

    /// A name stored before the rules (here with an escape and 300 characters) still works.
    @Test func oldNamesThatBreakTheRulesStillWork() async throws {
        let fixture = try CLIFixture()
        let old = "old\u{1B}name" + String(repeating: "z", count: 300)
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readWrite(createIfMissing: true))
        _ = try store.createStudy(CLIFixture.study(old))
        try store.close()
        #expect(try await fixture.runner.run(["search", "--study", old, "--resume", "--trials", "1"]).status == 0)
        #expect(try await fixture.runner.run(["evaluate", "--model", "mobilevitv2-0.5", "--study", old]).status == 0)
        let trials = try await fixture.runner.run(["trials", "--study", old, "--format", "json"])
        #expect(trials.status == 0)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 2)
        #expect(try await fixture.runner.run(["studies", "delete", old]).status == 0)
        #expect(try await fixture.runner.run(["studies"]).stdout == "No studies yet.\n")
    }
}
