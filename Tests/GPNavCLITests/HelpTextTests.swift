import Foundation
import MobileViT
import Testing

/// `--help` of every command reads well at 80 columns: nothing wider, and discussion paragraphs
/// are wrapped by the argument parser (written as one line each), not hard-wrapped in the source.
@Suite("Help text")
struct HelpTextTests {
    static let commands: [[String]] = [
        [], ["search"], ["downsize"], ["evaluate"], ["trials"], ["pareto"], ["studies"], ["studies", "list"],
        ["studies", "delete"], ["analyze"], ["plot"], ["plot", "cube"], ["plot", "pareto"], ["plot", "history"],
        ["import"], ["export"], ["macs"], ["gp"],
    ]

    static func help(_ command: [String], columns: Int) async throws -> String {
        let fixture = try CLIFixture()
        var runner = fixture.runner
        runner.environment = ["COLUMNS": String(columns)]
        let output = try await runner.run(command + ["--help"])
        #expect(output.status == 0, "\(output.stderr)")
        return output.stdout
    }

    @Test(arguments: commands)
    func noHelpLineIsWiderThanEightyColumns(_ command: [String]) async throws {
        let text = try await Self.help(command, columns: 80)
        let wide = text.split(separator: "\n").filter { $0.count > 80 }
        #expect(wide.isEmpty, "\(wide.joined(separator: "\n"))")
    }

    @Test(arguments: commands)
    func discussionParagraphsAreOneLineEachWhenTheScreenIsWide(_ command: [String]) async throws {
        let text = try await Self.help(command, columns: 1_000)
        guard let usage = text.range(of: "\nUSAGE:") else { return }
        let blocks = text[..<usage.lowerBound].components(separatedBy: "\n\n").dropFirst()
        for block in blocks where !block.hasPrefix("Example") && !block.hasPrefix(" ") {
            let lines = block.split(separator: "\n")
            #expect(lines.count == 1 || lines.dropFirst().allSatisfy { $0.hasPrefix("  ") }, "hard-wrapped: \(block)")
        }
        // Example lines stay short enough for the 80-column screen with room to spare.
        let examples = text[..<usage.lowerBound].split(separator: "\n").filter { $0.hasPrefix("  ") }
        #expect(examples.allSatisfy { $0.count < 78 }, "\(examples.filter { $0.count >= 78 })")
    }

    @Test(arguments: [[], ["search"], ["downsize"], ["macs"]])
    func overviewNamesEveryRegisteredFamily(_ command: [String]) async throws {
        let text = try await Self.help(command, columns: 1_000)
        let overview = text.split(separator: "\n").first.map(String.init) ?? ""
        for family in ArchitectureFamilies.all {
            #expect(overview.contains(family.displayName), "\(overview)")
        }
    }

    @Test(arguments: [["search"], ["evaluate"], ["analyze"]])
    func commandsWithoutCSVDoNotOfferIt(_ command: [String]) async throws {
        let text = try await Self.help(command, columns: 80)
        #expect(!text.lowercased().contains("csv"), "\(text)")
        let fixture = try CLIFixture()
        let output = try await fixture.runner.run(command + ["--format", "csv"])
        #expect(output.status == 2)
        #expect(Reliability.isOneCleanErrorLine(output.stderr) && output.stderr.contains("'table' and 'json'"), "\(output.stderr)")
    }
}
