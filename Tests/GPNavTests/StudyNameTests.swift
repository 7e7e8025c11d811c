import Foundation
import Testing
@testable import GPNav

@Suite struct StudyNameTests {
    @Test(arguments: ["macs-300M", "Résumé 2026", "漢字の研究", "rocket 🚀 study", "a  b", String(repeating: "x", count: 200),
                      "v2.1_run:7 @home +fast =x, a/b ~ 50% #3 [x] {y} *?!"])
    func ordinaryNamesAreAccepted(name: String) async throws {
        #expect(try StudyName(name).text == name)
    }

    @Test func namesAreNormalisedToNFC() async throws {
        let decomposed = "caf\u{65}\u{301}"
        #expect(Array(try StudyName(decomposed).text.unicodeScalars) == Array("caf\u{E9}".unicodeScalars))
        #expect(StudyName.sameStudy(decomposed, "caf\u{E9}"))
        #expect(StudyName.lookupForms(of: decomposed).map { Array($0.unicodeScalars) }
                == [Array(decomposed.unicodeScalars), Array("caf\u{E9}".unicodeScalars)])
        #expect(StudyName.lookupForms(of: "caf\u{E9}").count == 1)
    }

    @Test(arguments: [
        ("", StudyNameError.empty),
        ("   ", .empty),
        (String(repeating: "é", count: 201), .tooLong(length: 201)),
        ("a\u{1B}[2J", .controlCharacter("\u{1B}")),
        ("tab\there", .controlCharacter("\t")),
        ("two\nlines", .controlCharacter("\n")),
        ("next\u{85}line", .controlCharacter("\u{85}")),
        ("del\u{7F}", .controlCharacter("\u{7F}")),
        ("evil\u{202E}txt.exe", .controlCharacter("\u{202E}")),
        ("iso\u{2067}late", .controlCharacter("\u{2067}")),
        ("para\u{2029}graph", .controlCharacter("\u{2029}")),
        ("$(rm -rf ~)", .shellCharacter("$")),
        ("`id`", .shellCharacter("`")),
        ("x; id", .shellCharacter(";")),
        ("x && id", .shellCharacter("&")),
        ("x | id", .shellCharacter("|")),
        ("x > f", .shellCharacter(">")),
        ("x < f", .shellCharacter("<")),
        ("it's", .shellCharacter("'")),
        ("say \"hi\"", .shellCharacter("\"")),
        ("back\\slash", .shellCharacter("\\")),
        ("f(x)", .shellCharacter("(")),
    ])
    func namesBreakingARuleAreRefused(name: String, error: StudyNameError) {
        #expect(throws: error) { try StudyName(name) }
    }

    @Test func aStoredNameIsFoundInEitherNormalFormAndCannotBeCreatedTwice() async throws {
        let directory = try TemporaryDirectory()
        // Stored decomposed, as a name from before the rule could be.
        let (store, study) = try Fixtures.store(at: directory.file("n.sqlite"), study: "e\u{301}tude")
        #expect(try store.study(named: "\u{E9}tude")?.id == study.id)
        #expect(try store.study(named: "e\u{301}tude")?.id == study.id)
        #expect(throws: StoreError.duplicateStudy("e\u{301}tude")) { try store.createStudy(Fixtures.study("\u{E9}tude")) }
        #expect(try store.trials(TrialQuery(study: "\u{E9}tude")).isEmpty)
        try store.deleteStudy(named: "\u{E9}tude")
        #expect(try store.studies().isEmpty)
    }
}
