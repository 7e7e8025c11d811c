import Foundation
import Testing

/// Output that cannot be written (standard output closed, full, or a pipe closed early; standard
/// error closed) is an error with its own exit code, never a crash or a silent success, and a
/// search that cannot print keeps its trials.
@Suite("Unwritable standard streams")
struct StandardStreamsTests {
    /// A runner whose `gpnav` starts with its streams redirected by `/bin/sh` (e.g. `>&-`).
    static func runner(_ fixture: CLIFixture, redirect: String) -> GPNavRunner {
        var runner = fixture.runner
        runner.launcher = ["/bin/sh", "-c", "exec \"$0\" \"$@\" \(redirect)"]
        return runner
    }

    static let readingCommands: [[String]] = [
        ["trials"], ["trials", "--format", "json"], ["pareto"], ["studies"], ["macs", "--model", "mobilevitv2-0.75"],
        ["macs", "--format", "csv"], ["export", "--study", "s300", "--trial", "1"], ["downsize", "--macs", "250M"],
        ["--help"], ["trials", "--help"],
    ]

    @Test(arguments: readingCommands)
    func aClosedStandardOutputExitsSevenWithOneLine(_ arguments: [String]) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await Self.runner(fixture, redirect: ">&-").run(arguments)
        #expect(output.status == 7, "\(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
        #expect(output.stderr.contains("standard output"), "\(output.stderr)")
    }

    @Test(.enabled(if: FullDevice.isPresent, Comment(rawValue: FullDevice.reasonIfAbsent)), arguments: readingCommands)
    func aFullStandardOutputExitsSevenWithOneLine(_ arguments: [String]) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await Self.runner(fixture, redirect: ">/dev/full").run(arguments)
        #expect(output.status == 7, "\(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
        #expect(output.stderr.contains("No space left"), "\(output.stderr)")
    }

    @Test func aPipeClosedEarlyEndsTheCommandWithoutACrash() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        // 2000 trials make more output than a pipe buffers; `sleep` closes the pipe unread.
        let rows = (0..<2_000).map { "224,0.5,\"1,2\",\"2,4,3\",\(60 + Double($0 % 100) / 10)" }
        try ("resolution,width,mv2_depths,vit_depths,accuracy\n" + rows.joined(separator: "\n") + "\n")
            .write(toFile: fixture.file("many.csv"), atomically: true, encoding: .utf8)
        let imported = try await fixture.runner.run(["import", "many.csv", "--study", "many"])
        #expect(imported.status == 0, "\(imported.stderr)")
        var runner = fixture.runner
        runner.launcher = ["/bin/bash", "-c", "\"$0\" \"$@\" | sleep 0.2; echo \"status ${PIPESTATUS[0]}\" >&2"]
        let output = try await runner.run(["trials", "--format", "csv"])
        #expect(output.stderr.hasSuffix("status 7\n"), "\(output.stderr)")
        #expect(!output.stderr.contains("Fatal error"), "\(output.stderr)")
        #expect(output.stderr.contains("gpnav: error: cannot write to standard output"), "\(output.stderr)")
    }

    @Test(arguments: [["trials"], ["pareto", "--study", "s300"], ["macs", "--width", "0.5"],
                      ["search", "--macs", "320M", "--trials", "3", "--study", "quiet"]])
    func aClosedStandardErrorDoesNotStopACommandThatSucceeds(_ arguments: [String]) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await Self.runner(fixture, redirect: "2>&-").run(arguments)
        #expect(output.status == 0)
        #expect(!output.stdout.isEmpty)
    }

    @Test func aClosedStandardErrorStillGivesTheErrorsExitCode() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await Self.runner(fixture, redirect: "2>&-").run(["trials", "--study", "missing"])
        #expect(output.status == 4)
        #expect(output.stdout.isEmpty)
    }

    @Test(arguments: FullDevice.onlyIfPresent([">&-", ">/dev/full", ">&- 2>&-", ">/dev/full 2>/dev/full"]))
    func aSearchThatCannotPrintStoresItsTrialsAndExitsSeven(_ redirect: String) async throws {
        let fixture = try CLIFixture()
        let output = try await Self.runner(fixture, redirect: redirect).run(["search", "--macs", "350M", "--trials", "4"])
        #expect(output.status == 7, "\(output.stderr)")
        let trials = try await fixture.runner.run(["trials", "--state", "complete", "--format", "csv"])
        #expect(trials.status == 0, "\(trials.stderr)")
        #expect(trials.stdout.split(separator: "\n").count == 5, "\(trials.stdout)")
    }
}
