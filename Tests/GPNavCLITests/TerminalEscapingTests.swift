import Foundation
import GPNav
import Testing

/// Control characters from data (study names, evaluator errors) never reach the terminal raw.
@Suite("Control characters in output")
struct TerminalEscapingTests {
    static let hostileName = "evil\u{1B}]2;owned\u{07}\u{1B}[2J\r\u{9B}1m\u{7F}\u{202E}name"

    /// Bytes a terminal would act on, other than the line feeds that end lines.
    private func controlBytes(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { $0 != "\n" && TerminalText.needsEscaping($0) }
    }

    @Test func tablesErrorsProgressAndReportsEscapeNamesAndEvaluatorText() async throws {
        let fixture = try CLIFixture()
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readWrite(createIfMissing: true))
        let id = try store.createStudy(CLIFixture.study(Self.hostileName)).id ?? -1
        _ = try store.addFinishedTrial(try CLIFixture.trial(id, .failed, resolution: 256, width: 1.0, macs: 5, params: 5,
                                                            accuracy: nil, error: "died \u{1B}[31mred\u{08}\u{08}"))
        try store.close()

        let script = fixture.file("train.sh")
        try "printf 'bad \\033[5mblink\\a\\n' >&2; exit 4\n".write(toFile: script, atomically: true, encoding: .utf8)
        let runs: [[String]] = [
            ["studies"],
            ["trials"],
            ["trials", "--study", "no such \u{1B}[2J study"],
            ["studies", "delete", "gone\u{1B}c"],
            ["search", "--study", Self.hostileName, "--resume", "--trials", "2"],
            ["evaluate", "--model", "mobilevitv2-0.5", "--study", "ev", "--evaluator-command", "sh \(script)"],
        ]
        for arguments in runs {
            let output = try await fixture.runner.run(arguments)
            #expect(controlBytes(output.stdout).isEmpty, "\(arguments): \(output.stdout.debugDescription)")
            #expect(controlBytes(output.stderr).isEmpty, "\(arguments): \(output.stderr.debugDescription)")
        }
        let table = try await fixture.runner.run(["studies"])
        #expect(table.stdout.contains("evil\\u{1B}]2;owned\\u{7}\\u{1B}[2J\\u{D}\\u{9B}1m\\u{7F}\\u{202E}name"))
        let failed = try await fixture.runner.run(["evaluate", "--model", "mobilevitv2-0.5", "--study", "ev2",
                                             "--evaluator-command", "printf 'x\\033]0;t\\a' >&2; exit 3"])
        #expect(failed.status == 6)
        #expect(failed.stderr.hasPrefix("gpnav: error: "))
    }
}
