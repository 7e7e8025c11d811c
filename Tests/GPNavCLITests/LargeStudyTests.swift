import Foundation
import GPNav
import Testing

/// A study far larger than an exact GP can take: `analyze` and `plot cube` fit a bounded sample
/// and say so; `gp` refuses a training table beyond its limit with one line naming the limit.
@Suite("Large studies and tables")
struct LargeStudyTests {
    /// `count` complete trials over part of the default grid, as `gpnav import` reads them.
    static func importCSV(count: Int) -> String {
        let resolutions = [160, 192, 224, 256, 288]
        let widths = [0.5, 0.625, 0.75, 0.875, 1.0]
        var rows = ["resolution,width,mv2_depths,vit_depths,accuracy"]
        for i in 0..<count {
            let resolution = resolutions[i % 5], width = widths[(i / 5) % 5]
            let accuracy = 50 + Double(resolution) / 16 + 10 * width + Double((i * 7_919) % 100) / 200
            rows.append("\(resolution),\(width),\"1,2\",\"2,4,3\",\(accuracy)")
        }
        return rows.joined(separator: "\n") + "\n"
    }

    @Test func analyzePlotCubeAndDownsizeFitABoundedSampleOfAHugeStudy() async throws {
        let fixture = try CLIFixture()
        let count = 12_000
        try Self.importCSV(count: count).write(toFile: fixture.file("big.csv"), atomically: true, encoding: .utf8)
        let imported = try await fixture.runner.run(["import", "big.csv", "--study", "big"])
        #expect(imported.status == 0, "\(imported.stderr)")

        let analysis = try await fixture.runner.run(["analyze", "--study", "big", "--format", "json"])
        #expect(analysis.status == 0, "\(analysis.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(analysis.stdout.utf8)) as? [String: Any])
        #expect(json["observations"] as? Int == StudyModelSample.limit)
        #expect(json["complete_trials"] as? Int == count)

        let plot = try await fixture.runner.run(["plot", "cube", "--study", "big", "--out", "cube.svg"])
        #expect(plot.status == 0, "\(plot.stderr)")
        let svg = try String(contentsOfFile: fixture.file("cube.svg"), encoding: .utf8)
        #expect(svg.contains("GP, \(StudyModelSample.limit) of \(count) trials"))

        let chain = try await fixture.runner.run(["downsize", "--macs", "300M", "--study", "big"])
        #expect(chain.status == 0, "\(chain.stderr)")
        #expect(chain.stdout.contains("GP-guided shares"))
    }

    @Test func gpRefusesATrainingTableBeyondItsLimitOnOneLine() async throws {
        let fixture = try CLIFixture()
        let rows = (0..<5_003).map { "\(Double($0) / 100),\(sin(Double($0)))" }
        try ("x,y\n" + rows.joined(separator: "\n") + "\n").write(toFile: fixture.file("t.csv"), atomically: true, encoding: .utf8)
        let output = try await fixture.runner.run(["gp", "--train", "t.csv", "--target", "y"])
        #expect(output.status == 3, "\(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr) && output.stderr.contains("5000") && output.stderr.contains("5003"),
                "\(output.stderr)")
    }

    @Test func aGridOfMoreThanAMillionPointsIsRefused() async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.run(["search", "--macs", "300M", "--resolutions", "128:1024:2", "--widths", "0.5:1.5:0.0005"])
        #expect(output.status == 3 || output.status == 2, "\(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr) && output.stderr.contains("1000000"), "\(output.stderr)")
        #expect(try fixture.contents().isEmpty)
    }
}
