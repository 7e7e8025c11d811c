import Foundation
import GPNav
import Testing

@Suite("gpnav trials")
struct TrialsCommandTests {
    static let header = [
        "number", "study", "state", "resolution", "width", "classes", "macs", "params", "accuracy", "proposal", "step",
        "acquisition", "started_at", "finished_at", "error", "family", "mv2_depths", "vit_depths", "metric_top5",
    ]

    @Test func csvHasTheDocumentedHeaderAndRoundTripsThroughAnRFC4180Reader() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["trials", "--format", "csv"])
        #expect(output.status == 0, "\(output.stderr)")
        let records = try CSV.parse(output.stdout)
        #expect(records.first?.fields == Self.header)
        #expect(records.count == 8)
        #expect(records.dropFirst().allSatisfy { $0.fields.count == Self.header.count })
        #expect(records[2].fields == [
            "1", "s300", "complete", "224", "0.5", "1000", "298123456", "1370000", "70.18", "downsize", "1", "",
            "2025-11-21T00:00:00.000Z", "2025-11-21T00:01:30.000Z", "", "mobilevitv2", "1,2", "2,4,3", "89.5",
        ])
        #expect(records[3].fields[14] == "exit 1, said \"out of memory\"")
        // The raw text quotes fields holding commas and quotes, doubling the quotes.
        #expect(output.stdout.contains("\"exit 1, said \"\"out of memory\"\"\""))
        #expect(output.stdout.contains(",mobilevitv2,\"1,2\",\"2,4,3\","))
    }

    @Test func filtersSortAndLimit() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        func numbers(_ arguments: [String]) async throws -> [String] {
            let output = try await fixture.runner.run(["trials", "--format", "csv"] + arguments)
            #expect(output.status == 0, "\(output.stderr)")
            return try CSV.parse(output.stdout).dropFirst().map { $0.fields[1] + "#" + $0.fields[0] }
        }
        #expect(try await numbers(["--study", "s300", "--state", "complete", "--max-macs", "300M", "--sort", "accuracy", "--desc"])
                == ["s300#1", "s300#3"])
        #expect(try await numbers(["--min-accuracy", "70", "--sort", "accuracy", "--desc", "--limit", "2"]) == ["other#0", "s300#0"])
        #expect(try await numbers(["--sort", "macs", "--limit", "3"]) == ["s300#2", "s300#3", "s300#1"])
        #expect(try await numbers(["--study", "s300", "--sort", "number", "--desc", "--limit", "2"]) == ["s300#5", "s300#4"])
        #expect(try await numbers(["--state", "running"]) == ["s300#5"])
        #expect(try await numbers(["--study", "s300", "--state", "pruned"]) == [])
    }

    @Test func jsonHasOneObjectPerTrialWithExactIntegers() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["trials", "--format", "json", "--sort", "accuracy", "--desc", "--limit", "2"])
        #expect(output.status == 0, "\(output.stderr)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 2)
        #expect(objects[0]["study"] as? String == "other")
        #expect(objects[0]["macs"] as? Int == 5_000_000_000)
        #expect(objects[0]["params"] as? Int == 10_000_000)
        #expect(objects[0]["accuracy"] as? Double == 80.0)
        #expect(objects[0]["vit_depths"] as? [Int] == [2, 4, 3])
        #expect(objects[0]["state"] as? String == "complete")
        #expect(objects.map { $0["family"] as? String } == ["mobilevitv2", "mobilevitv2"])
        #expect(objects[1]["proposal"] as? String == "start")
        #expect(objects[1]["step"] as? Int == 0)
        #expect(objects[0]["step"] is NSNull)
        #expect(output.stdout.contains("\"macs\" : 5000000000"))
        let keys: Set<String> = [
            "number", "study", "state", "family", "resolution", "width", "mv2_depths", "vit_depths", "classes", "macs", "params",
            "accuracy", "metrics", "proposal", "step", "acquisition", "predicted_accuracy", "predicted_std",
            "started_at", "finished_at", "heartbeat_at", "error", "evaluator_output",
        ]
        #expect(Set(objects[0].keys) == keys)
    }

    @Test func tableFitsInOneHundredColumnsWithReadableUnitsAndFailureReasonsBelow() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["trials"])
        #expect(output.status == 0, "\(output.stderr)")
        let sections = output.stdout.components(separatedBy: "\n\n")
        #expect(sections.count == 2)
        let lines = sections[0].split(separator: "\n")
        #expect(lines.count == 9)
        #expect(lines.allSatisfy { $0.count <= 100 })
        #expect(sections[1] == "#2 s300 failed: exit 1, said \"out of memory\"\n")
        #expect(!(try await fixture.runner.run(["trials", "--state", "complete"])).stdout.contains("\n\n"))
        #expect(output.stdout.contains("298 M"))
        #expect(output.stdout.contains("1.03 G"))
        #expect(output.stdout.contains("70.18"))
        #expect(output.stdout.contains("downsize 1"))
    }

    @Test func unknownStudyIsOneLineWithExitCode4() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["trials", "--study", "nope"])
        #expect(output.status == 4)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr == "gpnav: error: unknown study 'nope'; known studies: other, s300\n")
    }

    @Test(arguments: [["--sort", "speed"], ["--max-macs", "3x"], ["--limit", "0"], ["--state", "done"]])
    func badArgumentsAreUsageErrors(arguments: [String]) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["trials"] + arguments)
        #expect(output.status == 2)
        #expect(output.stderr.hasPrefix("gpnav: error: "))
        #expect(output.stderr.split(separator: "\n").count == 1)
    }
}
