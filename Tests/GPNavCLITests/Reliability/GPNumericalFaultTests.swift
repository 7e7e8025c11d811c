import Foundation
import Testing

/// Degenerate tables fed to `gpnav gp`: it answers with finite numbers or refuses with one clear
/// line; NaN or infinity never reaches the output.
@Suite("Numerical faults fed to the GP")
struct GPNumericalFaultTests {
    struct Table: CustomTestStringConvertible, Sendable {
        var name: String
        var train: String
        var predict: String
        var testDescription: String { name }
    }

    static let tables: [Table] = [
        Table(name: "duplicate points with different targets",
              train: "x,y\n0,1\n0,1.5\n1,2\n1,2\n2,3\n2,2.5\n", predict: "x\n0\n1.5\n"),
        Table(name: "constant targets", train: "x,y\n0,5\n1,5\n2,5\n3,5\n", predict: "x\n0.5\n10\n"),
        Table(name: "two points", train: "x,y\n0,1\n1,2\n", predict: "x\n0.5\n-3\n"),
        Table(name: "one point repeated", train: "x,y\n1,7\n1,7\n1,7\n", predict: "x\n1\n2\n"),
        Table(name: "huge scales (1e150)",
              train: "x,y\n1e150,1e150\n2e150,3e150\n3e150,2e150\n4e150,5e150\n", predict: "x\n2.5e150\n"),
        Table(name: "tiny scales (1e-150)",
              train: "x,y\n1e-150,1e-150\n2e-150,3e-150\n3e-150,2e-150\n4e-150,5e-150\n", predict: "x\n2.5e-150\n"),
        Table(name: "mixed huge and tiny inputs",
              train: "a,b,y\n1e150,1e-150,1\n2e150,2e-150,2\n3e150,3e-150,1.5\n", predict: "a,b\n1.5e150,1.5e-150\n"),
        Table(name: "query rows near plus and minus 1e308",
              train: "x,y\n0,1\n1,2\n2,2.5\n3,2\n", predict: "x\n1.75e308\n-1.75e308\n-6e307\n"),
        Table(name: "training and query rows near 1e308",
              train: "x,y\n0,1\n1,2\n1.6e308,2.5\n2,2\n", predict: "x\n1.6e308\n-1.7e308\n"),
    ]

    @Test(arguments: ["table", "csv", "json"])
    func aPredictionThatCannotBeFiniteIsAnErrorNotNaN(_ format: String) async throws {
        let fixture = try CLIFixture()
        try "x,y\n0,1\n1,2\n1.6e308,2.5\n2,2\n".write(toFile: fixture.file("train.csv"), atomically: true, encoding: .utf8)
        try "x\n0.5\n1.6e308\n".write(toFile: fixture.file("predict.csv"), atomically: true, encoding: .utf8)
        let output = try await fixture.runner.run(["gp", "--train", "train.csv", "--target", "y", "--predict", "predict.csv",
                                             "--length-scales", "0.25", "--fixed", "--format", format])
        #expect(output.status == 3, "\(output.stdout)")
        #expect(output.stdout.isEmpty)
        #expect(Reliability.isOneCleanErrorLine(output.stderr) && output.stderr.contains("query row 2"), "\(output.stderr)")
    }

    /// Every number in the JSON value, recursively.
    static func numbers(in value: Any) -> [Double] {
        switch value {
        case let number as NSNumber: [number.doubleValue]
        case let array as [Any]: array.flatMap(numbers)
        case let object as [String: Any]: object.values.flatMap(numbers)
        default: []
        }
    }

    @Test(arguments: tables)
    func theGPAnswersWithFiniteNumbersOrOneClearLine(_ table: Table) async throws {
        let fixture = try CLIFixture()
        try table.train.write(toFile: fixture.file("train.csv"), atomically: true, encoding: .utf8)
        try table.predict.write(toFile: fixture.file("predict.csv"), atomically: true, encoding: .utf8)
        for format in ["json", "table", "csv"] {
            let output = try await fixture.runner.run(["gp", "--train", "train.csv", "--target", "y", "--predict", "predict.csv",
                                                 "--format", format])
            let nonFinite = try Regex(#"(?i)\b(nan|inf|infinity)\b"#)
            #expect(!(output.stdout + output.stderr).contains(nonFinite), "\(format): \(output.stdout) \(output.stderr)")
            if output.status == 0 {
                #expect(output.stderr.isEmpty, "\(output.stderr)")
                if format == "json" {
                    let json = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
                    let values = Self.numbers(in: json)
                    #expect(!values.isEmpty && values.allSatisfy(\.isFinite))
                    let predictions = (json as? [String: Any])?["predictions"] as? [[String: Any]]
                    #expect(predictions?.count == table.predict.split(separator: "\n").count - 1)
                    for prediction in predictions ?? [] {
                        #expect(((prediction["std"] as? NSNumber)?.doubleValue ?? -1) >= 0, "\(prediction)")
                    }
                }
            } else {
                #expect(output.status == 3, "\(output.stderr)")
                #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
            }
        }
    }
}
