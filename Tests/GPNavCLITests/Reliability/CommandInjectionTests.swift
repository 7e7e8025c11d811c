import Foundation
import GPNav
import Testing

/// Study names that are shell syntax reach the training command as data, end to end. New studies
/// may no longer take such names (see `NestedShellTests`); studies stored before that rule keep
/// theirs, so the names are stored first, as an older gpnav would have.
@Suite("Training command placeholders")
struct CommandInjectionTests {
    @Test(arguments: [
        ("';touch injected;'", "printf '%s' '{study}' > seen.txt; sh train.sh \"{config}\""),
        ("\"; touch injected; echo \"", "printf '%s' \"{study}\" > seen.txt; sh train.sh '{config}'"),
        ("$(touch injected)`touch injected`", "printf '%s' {study} > seen.txt; sh train.sh {config}"),
    ])
    func aStudyNamedLikeShellCodeRunsNothingAndIsPassedExactly(study: String, command: String) async throws {
        let fixture = try CLIFixture()
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readWrite(createIfMissing: true))
        _ = try store.createStudy(CLIFixture.study(study))
        try store.close()
        // Reads the config file at the path it is given: a path with literal quotes would fail.
        try #"grep -q '"macs"' "$1" && echo '{"accuracy": 55.5}'"#.write(toFile: fixture.file("train.sh"), atomically: true, encoding: .utf8)
        let output = try await fixture.runner.run(["evaluate", "--model", "mobilevitv2-0.5", "--study", study,
                                             "--evaluator-command", command, "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("55.5"))
        #expect(try String(contentsOfFile: fixture.file("seen.txt"), encoding: .utf8) == study)
        #expect(!FileManager.default.fileExists(atPath: fixture.file("injected")))
    }
}
