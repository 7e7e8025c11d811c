import Foundation
import Testing

/// Number cells of input files are read whole: a NUL byte or text after the number makes the
/// cell an error naming its line and column, never a number cut short at the NUL.
@Suite("Number cells of input files")
struct NumberCellTests {
    static let importHeader = "resolution,width,mv2_depths,vit_depths,accuracy,metric_loss"
    static let good = "256,1.0,\"1,2\",\"2,4,3\",78,1.5"

    @Test(arguments: [
        ("256,1.0,\"1,2\",\"2,4,3\",50\u{0}junk,1.5", "accuracy"),
        ("256,1.0,\"1,2\",\"2,4,3\",50\u{0},1.5", "accuracy"),
        ("256,1.0\u{0}9,\"1,2\",\"2,4,3\",50,1.5", "width"),
        ("256\u{0}1,1.0,\"1,2\",\"2,4,3\",50,1.5", "resolution"),
        ("256,1.0,\"1,2\u{0}\",\"2,4,3\",50,1.5", "mv2_depths"),
        ("256,1.0,\"1,2\",\"2,4,3\",50,1.5\u{0}7", "metric_loss"),
        ("256,1.0,\"1,2\",\"2,4,3\",50 junk,1.5", "accuracy"),
    ])
    func anImportedCellWithANulOrTrailingTextIsRefusedWithItsLineAndColumn(row: String, column: String) async throws {
        let fixture = try CLIFixture()
        try (Self.importHeader + "\n" + Self.good + "\n" + row + "\n")
            .write(toFile: fixture.file("bad.csv"), atomically: true, encoding: .utf8)
        let output = try await fixture.runner.run(["import", "bad.csv", "--study", "cells"])
        #expect(output.status == 3, "\(output.stderr)")
        #expect(output.stderr.hasPrefix("gpnav: error: bad.csv: line 3: \(column) "), "\(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.file("gpnav.sqlite")))
    }

    @Test(arguments: ["2\u{0} 9", "2\u{0}", "\u{0}2", "2 9", "2x"])
    func aTrainingCellWithANulOrTrailingTextIsRefusedWithItsLineAndColumn(cell: String) async throws {
        let fixture = try CLIFixture()
        let rows = ["x,y", "1,70", "\(cell),71", "3,72"].joined(separator: "\n") + "\n"
        try rows.write(toFile: fixture.file("train.csv"), atomically: true, encoding: .utf8)
        let output = try await fixture.runner.run(["gp", "--train", "train.csv", "--target", "y"])
        #expect(output.status == 3, "\(output.stderr)")
        #expect(output.stderr.hasPrefix("gpnav: error: train.csv line 3, column 'x': "), "\(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
    }
}
