import Foundation
import Testing

/// Bad command-line input over every command: each is refused with one line on stderr, the
/// documented exit code, no crash or usage dump, and the database exactly as it was.
@Suite("Bad command-line input")
struct BadInputTests {
    /// One bad invocation: the arguments, the exit code the README documents for it, and a piece
    /// of text the one-line message must contain.
    struct Case: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        var status: Int32
        var mentions: String

        init(_ arguments: [String], _ status: Int32, _ mentions: String) {
            self.arguments = arguments
            self.status = status
            self.mentions = mentions
        }

        var testDescription: String { "gpnav " + arguments.map { $0.count > 40 ? String($0.prefix(40)) + "..." : $0 }.joined(separator: " ") }
    }

    /// Input files the cases refer to, written into each case's directory.
    static let files: [String: String] = [
        "good.csv": "x,y\n0,1\n1,2\n2,2.5\n",
        "quote.csv": "x,y\n0,\"1\n1,2\n",
        "short.csv": "x,y\n0,1\n1\n",
        "words.csv": "x,y\n0,one\n1,2\n",
        "empty.csv": "",
        "header-only.csv": "x,y\n",
        "one-row.csv": "x,y\n0,1\n",
        "infinite.csv": "x,y\n0,1\n1,inf\n",
        "long.csv": "x,y\n0,1\n1," + String(repeating: "9", count: 1_048_576) + "x\n",
        "predict-missing.csv": "z\n1\n",
        "space.json": "{ not json",
        "space-bad.json": #"{"resolutions": [], "widths": [0.5]}"#,
    ]

    static let cases: [Case] = [
        // Budgets.
        Case(["search", "--macs", "300X"], 2, "--macs"),
        Case(["search", "--macs", "-5M"], 2, "--macs"),
        Case(["search", "--macs", "0"], 2, "--macs"),
        Case(["search", "--macs", "1e400"], 2, "--macs"),
        Case(["search", "--macs", ""], 2, "--macs"),
        Case(["search", "--macs", "1M"], 2, "smallest needs"),
        Case(["search", "--params", "1K"], 2, "smallest needs"),
        Case(["search", "--memory", "1.5XB"], 2, "--memory"),
        Case(["search", "--memory", "1MB", "--bits", "7"], 2, "--bits"),
        Case(["search"], 2, "budget"),
        // Search settings.
        Case(["search", "--macs", "300M", "--from", "mobilevitv2-9.9"], 4, "mobilevitv2-9.9"),
        Case(["search", "--macs", "300M", "--step-factor", "1.5"], 2, "--step-factor"),
        Case(["search", "--macs", "300M", "--step-factor", "0"], 2, "--step-factor"),
        Case(["search", "--macs", "300M", "--trials", "0"], 2, "--trials"),
        Case(["search", "--macs", "300M", "--parallel", "0"], 2, "--parallel"),
        Case(["search", "--macs", "300M", "--max-failures", "0"], 2, "--max-failures"),
        Case(["search", "--macs", "300M", "--stale-after", "-1"], 2, "--stale-after"),
        Case(["search", "--macs", "300M", "--evaluator-timeout", "0"], 2, "--evaluator-timeout"),
        Case(["search", "--macs", "300M", "--noise", "11"], 2, "--noise"),
        Case(["search", "--macs", "300M", "--evaluator", "command"], 2, "--evaluator-command"),
        Case(["search", "--macs", "300M", "--format", "csv"], 2, "csv"),
        Case(["search", "--macs", "300M", "--seed", "-1"], 2, "seed"),
        Case(["search", "--macs", "300M", "--bogus"], 2, "--bogus"),
        Case(["search", "--macs", "300M", "--space", "missing.json"], 4, "missing.json"),
        Case(["search", "--macs", "300M", "--space", "space.json"], 3, "space.json"),
        Case(["search", "--macs", "300M", "--space", "space-bad.json"], 3, "space-bad.json"),
        Case(["search", "--macs", "300M", "--study", "s300"], 2, "--resume"),
        Case(["search", "--macs", "200M", "--study", "s300", "--resume"], 2, "different settings"),
        Case(["search", "--study", "nope", "--resume"], 4, "nope"),
        // Downsizing.
        Case(["downsize", "--macs", "300X"], 2, "--macs"),
        Case(["downsize", "--macs", "10K"], 2, "smallest needs"),
        Case(["downsize", "--macs", "300M", "--from", "nope"], 4, "nope"),
        Case(["downsize", "--macs", "300M", "--study", "nope"], 4, "nope"),
        Case(["downsize", "--macs", "300M", "--step-factor", "1"], 2, "--step-factor"),
        Case(["downsize"], 2, "budget"),
        // One evaluation.
        Case(["evaluate", "--width", "0.01"], 2, "width"),
        Case(["evaluate", "--resolution", "33"], 2, "resolution"),
        Case(["evaluate", "--model", "nope"], 4, "nope"),
        Case(["evaluate", "--vit-depths", "1,2"], 2, "--vit-depths"),
        Case(["evaluate", "--mv2-depths", "a,b"], 2, "--mv2-depths"),
        Case(["evaluate", "--depth-multiplier", "0.5", "--vit-depths", "1,1,1"], 2, "--depth-multiplier"),
        Case(["evaluate", "--classes", "0"], 2, "class"),
        Case(["evaluate", "--format", "csv"], 2, "csv"),
        // Counting.
        Case(["macs", "--width", "5"], 2, "width"),
        Case(["macs", "--resolution", "2000"], 2, "resolution"),
        Case(["macs", "--bits", "33"], 2, "--bits"),
        Case(["macs", "--convention", "nope"], 2, "convention"),
        Case(["macs", "--depth-multiplier=-1"], 2, "depth multiplier"),
        Case(["macs", "--depth-multiplier", "nan"], 2, "depth multiplier"),
        Case(["macs", "--model", "mobilevitv2-3.0"], 4, "mobilevitv2-3.0"),
        // The GP on CSV tables.
        Case(["gp", "--train", "missing.csv", "--target", "y"], 4, "missing.csv"),
        Case(["gp", "--train", "quote.csv", "--target", "y"], 3, "quote.csv"),
        Case(["gp", "--train", "short.csv", "--target", "y"], 3, "short.csv"),
        Case(["gp", "--train", "words.csv", "--target", "y"], 3, "'one' is not a number"),
        Case(["gp", "--train", "empty.csv", "--target", "y"], 3, "empty"),
        Case(["gp", "--train", "header-only.csv", "--target", "y"], 3, "2 data rows"),
        Case(["gp", "--train", "one-row.csv", "--target", "y"], 3, "2 data rows"),
        Case(["gp", "--train", "infinite.csv", "--target", "y"], 3, "not finite"),
        Case(["gp", "--train", "long.csv", "--target", "y"], 3, "long.csv"),
        Case(["gp", "--train", "good.csv", "--target", "nope"], 3, "nope"),
        Case(["gp", "--train", "good.csv", "--target", "y", "--predict", "predict-missing.csv"], 3, "'x'"),
        Case(["gp", "--train", "good.csv", "--target", "y", "--length-scales", "1,-1"], 2, "--length-scales"),
        Case(["gp", "--train", "good.csv", "--target", "y", "--length-scales", "1,2"], 2, "--length-scales"),
        Case(["gp", "--train", "good.csv", "--target", "y", "--alpha", "-1"], 2, "--alpha"),
        Case(["gp", "--train", "good.csv", "--target", "y", "--kernel", "nope"], 2, "kernel"),
        Case(["gp", "--train", "good.csv"], 2, "--target"),
        // Reading the store.
        Case(["trials", "--study", "nope"], 4, "nope"),
        Case(["trials", "--state", "bogus"], 2, "bogus"),
        Case(["trials", "--max-macs", "300X"], 2, "--max-macs"),
        Case(["trials", "--limit", "0"], 2, "--limit"),
        Case(["trials", "--sort", "nope"], 2, "nope"),
        Case(["trials", "--min-accuracy", "nan"], 2, "--min-accuracy"),
        Case(["pareto", "--study", "nope"], 4, "nope"),
        Case(["pareto", "--objectives", "accuracy:up"], 2, "accuracy:up"),
        Case(["pareto", "--out", "no/such/dir/front.csv"], 2, "no/such/dir/front.csv"),
        Case(["studies", "delete", "nope"], 4, "nope"),
        Case(["studies", "list", "--format", "nope"], 2, "nope"),
        Case(["studies", "frobnicate"], 2, "frobnicate"),
        Case(["frobnicate"], 2, "frobnicate"),
    ]

    /// Failing commands that would otherwise make the database: in an empty directory they leave
    /// it empty.
    @Test(arguments: [
        ["search", "--macs", "300X"], ["search", "--macs", "1M"], ["search", "--macs", "300M", "--from", "nope"],
        ["search", "--study", "nope", "--resume"], ["search", "--macs", "300M", "--space", "missing.json"],
        ["evaluate", "--width", "0.01"], ["evaluate", "--model", "nope"], ["studies", "delete", "nope"],
    ])
    func aFailedCommandCreatesNoDatabase(_ arguments: [String]) async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.run(arguments)
        #expect([2, 4].contains(output.status), "\(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
        #expect(try fixture.contents().isEmpty)
    }

    @Test func theTableCoversEveryCommandWithAtLeastFortyCases() {
        #expect(Self.cases.count >= 40)
        let commands = Set(Self.cases.compactMap(\.arguments.first))
        #expect(commands.isSuperset(of: ["search", "downsize", "evaluate", "macs", "gp", "trials", "pareto", "studies"]))
    }

    @Test(arguments: cases)
    func badInputGivesOneLineTheDocumentedCodeAndLeavesTheDatabaseUnchanged(_ bad: Case) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        for (name, text) in Self.files { try text.write(toFile: fixture.file(name), atomically: true, encoding: .utf8) }
        let before = try Reliability.snapshot(fixture.directory)

        let output = try await fixture.runner.run(bad.arguments)

        #expect(output.status == bad.status, "stderr: \(output.stderr.prefix(300))")
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "stderr: \(output.stderr.prefix(600))")
        #expect(output.stderr.count < 1000, "message of \(output.stderr.count) characters")
        #expect(output.stderr.contains(bad.mentions), "stderr: \(output.stderr.prefix(300))")
        #expect(try Reliability.snapshot(fixture.directory) == before, "the directory changed")
    }
}
