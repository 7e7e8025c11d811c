import Foundation
import Testing

/// Every numeric option of every command, fed hostile numbers: out-of-range values are refused
/// while parsing (exit 2, one line, nothing created); values in range never crash a command.
@Suite("Numeric options are range-checked where they are parsed")
struct ArgumentRangeTests {
    /// One numeric option: the command line before it, how the value is written, and the hostile
    /// values it legitimately accepts (which must then run or fail cleanly, never crash).
    struct NumericOption: CustomTestStringConvertible, Sendable {
        var prefix: [String]
        var flag: String
        var template: String = "%@"
        var accepts: Set<String> = []
        var testDescription: String { (prefix + [flag, template]).joined(separator: " ") }

        func arguments(_ value: String) -> [String] {
            prefix + [flag, template.replacingOccurrences(of: "%@", with: value)]
        }
    }

    /// Huge, negative, tiny, past-Int64, NaN and infinite: none of the issue's own examples.
    static let hostile = ["4.2e19", "-7e305", "-1e-320", "9223372036854775807", "-3", "NaN", "-inf", "+Infinity", "2e11"]

    static let gp = ["gp", "--train", "train.csv", "--target", "y"]
    static let options: [NumericOption] = [
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--trials"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--parallel"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--max-failures"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--time-limit"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--step-factor"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--stale-after"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--evaluator-timeout"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--noise"),
        NumericOption(prefix: ["search", "--macs", "300M", "--memory", "1MB"], flag: "--bits"),
        NumericOption(prefix: ["search"], flag: "--macs"),
        NumericOption(prefix: ["search"], flag: "--params"),
        NumericOption(prefix: ["search"], flag: "--memory"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--resolutions"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--resolutions", template: "128:%@:32"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--resolutions", template: "%@:320:32"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--widths"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--widths", template: "%@:1.5:0.125"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--widths", template: "0.25:%@:0.125"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--mv2-depth-multipliers"),
        NumericOption(prefix: ["search", "--macs", "300M"], flag: "--vit-depth-multipliers"),
        NumericOption(prefix: ["downsize", "--macs", "300M"], flag: "--step-factor"),
        NumericOption(prefix: ["evaluate"], flag: "--resolution"),
        NumericOption(prefix: ["evaluate"], flag: "--width"),
        NumericOption(prefix: ["evaluate"], flag: "--depth-multiplier"),
        NumericOption(prefix: ["evaluate"], flag: "--classes"),
        NumericOption(prefix: ["evaluate"], flag: "--evaluator-timeout"),
        NumericOption(prefix: ["evaluate"], flag: "--noise"),
        NumericOption(prefix: ["macs"], flag: "--resolution"),
        NumericOption(prefix: ["macs"], flag: "--width"),
        NumericOption(prefix: ["macs"], flag: "--depth-multiplier"),
        NumericOption(prefix: ["macs"], flag: "--classes"),
        NumericOption(prefix: ["macs"], flag: "--bits"),
        NumericOption(prefix: ["macs"], flag: "--vit-depths", template: "%@,1,1"),
        NumericOption(prefix: ["trials"], flag: "--limit", accepts: ["9223372036854775807"]),
        NumericOption(prefix: ["trials"], flag: "--min-accuracy"),
        NumericOption(prefix: ["trials"], flag: "--max-macs"),
        NumericOption(prefix: ["export", "--study", "s"], flag: "--trial", accepts: ["9223372036854775807"]),
        NumericOption(prefix: ["plot", "cube", "--out", "c.svg"], flag: "--fix", template: "mv2-depth=%@",
                      accepts: ["4.2e19", "9223372036854775807", "2e11"]),
        NumericOption(prefix: gp, flag: "--restarts"),
        NumericOption(prefix: gp, flag: "--signal-variance", accepts: ["4.2e19", "2e11", "9223372036854775807"]),
        NumericOption(prefix: gp, flag: "--noise-variance", accepts: ["4.2e19", "2e11", "9223372036854775807"]),
        NumericOption(prefix: gp, flag: "--alpha", accepts: ["4.2e19", "2e11", "9223372036854775807"]),
        NumericOption(prefix: gp, flag: "--length-scales", accepts: ["4.2e19", "2e11", "9223372036854775807"]),
    ]

    @Test(arguments: options)
    func hostileNumbersAreRefusedOnOneLineOrRunWithoutCrashing(_ option: NumericOption) async throws {
        let fixture = try CLIFixture()
        try "x,y\n0,1\n1,2\n2,2.5\n".write(toFile: fixture.file("train.csv"), atomically: true, encoding: .utf8)
        for value in Self.hostile {
            // `--flag=value` so that values starting with '-' are read as values.
            var arguments = option.arguments(value)
            let last = arguments.removeLast()
            arguments[arguments.count - 1] += "=" + last
            let output = try await fixture.runner.run(arguments)
            let shown = arguments.joined(separator: " ")
            #expect(!output.stderr.contains("Fatal error"), "\(shown): \(output.stderr.prefix(300))")
            if option.accepts.contains(value) {
                #expect([0, 3, 4].contains(output.status), "\(shown): \(output.status) \(output.stderr.prefix(300))")
            } else {
                #expect(output.status == 2, "\(shown): \(output.status) \(output.stderr.prefix(300))")
            }
            if output.status != 0 {
                #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(shown): \(output.stderr.prefix(300))")
            }
            #expect(output.stdout.range(of: #"(?i)\bnan\b"#, options: .regularExpression) == nil, "\(shown): \(output.stdout)")
            #expect(try fixture.contents() == ["train.csv"], "\(shown) left files behind")
        }
    }

    @Test func aHugeTimeoutIsRefusedNamingItsRange() async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.run(["search", "--macs", "250M", "--evaluator-timeout", "5e18"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("--evaluator-timeout") && output.stderr.contains("365 days"), "\(output.stderr)")
        #expect(try fixture.contents().isEmpty)
    }
}
