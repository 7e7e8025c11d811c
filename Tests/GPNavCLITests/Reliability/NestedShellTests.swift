import Foundation
import Testing

/// A placeholder inside a nested shell (`sh -c '... {study}'`, `eval`) reaches that inner shell as
/// text it parses again. A new study's name therefore holds no character a shell gives meaning
/// to when it re-reads text, so such a name cannot run anything there.
@Suite("Placeholders under nested shells")
struct NestedShellTests {
    @Test(arguments: [
        ("$(touch injected)", "sh -c 'printf %s {study} > seen.txt'"),
        ("`touch injected`", "sh -c \"printf %s {study} > seen.txt\""),
        ("x; touch injected", "eval printf %s {study} '> seen.txt'"),
        ("x' ; touch injected; '", "sh -c \"printf %s '{study}' > seen.txt\""),
        ("x | touch injected", "eval \"printf %s {study} > seen.txt\""),
        ("x && touch injected", "eval \"printf %s {study} > seen.txt\""),
        ("x > injected", "eval \"printf %s {study}\""),
    ])
    func aStudyNameThatANestedShellWouldRunIsRefused(study: String, nested: String) async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.run(["evaluate", "--model", "mobilevitv2-0.5", "--study", study,
                                             "--evaluator-command", "\(nested); echo '{\"accuracy\": 55.5}'"])
        #expect(!FileManager.default.fileExists(atPath: fixture.file("injected")), "the study name ran as code")
        #expect(output.status == 2, "\(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
        #expect(output.stderr.contains("study name"), "\(output.stderr)")
    }

    @Test func aPlainStudyNameReachesANestedShellExactly() async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.run(["evaluate", "--model", "mobilevitv2-0.5", "--study", "macs-300M_v2.1 é",
                                             "--evaluator-command",
                                             "sh -c 'printf %s \"$GPNAV_STUDY\" > seen.txt'; echo '{\"accuracy\": 55.5}'"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try String(contentsOfFile: fixture.file("seen.txt"), encoding: .utf8) == "macs-300M_v2.1 é")
    }
}
