import Foundation
import Testing

/// `gpnav macs` end to end: the built executable run as a subprocess.
@Suite struct MACsCommandTests {
    @Test func defaultIsMobileViTv2OnePointZeroWithHumanUnits() throws {
        let result = try GPNavProcess.run(["macs"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("1.82 G"))
        #expect(result.stdout.contains("1815142568"))
        #expect(result.stdout.contains("4.90 M"))
        #expect(result.stderr.isEmpty)
    }

    @Test func jsonHasExactIntegersAndSnakeCaseFields() throws {
        let result = try GPNavProcess.run(["macs", "--model", "mobilevitv2-0.5", "--format", "json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["macs"] as? Int == 466_122_920)
        #expect(object["params"] as? Int == 1_370_593)
        #expect(object["resolution"] as? Int == 256)
        #expect(object["width"] as? Double == 0.5)
        #expect(object["mv2_depths"] as? [Int] == [1, 2])
        #expect(object["vit_depths"] as? [Int] == [2, 4, 3])
        #expect(object["classes"] as? Int == 1000)
        #expect(object["model"] as? String == "mobilevitv2-0.5")
        let bytes = try #require(object["weight_bytes"] as? [String: Int])
        #expect(bytes == ["32": 5_482_372, "16": 2_741_186, "8": 1_370_593, "6": 1_027_945, "4": 685_297])
    }

    @Test func factorFlagsOverrideThePreset() throws {
        let result = try GPNavProcess.run(["macs", "--model", "mobilevitv2-0.5", "--resolution", "200", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // Independent reference (Experiments/cost/reference_count.py): r200 w0.5 base depths.
        #expect(object["macs"] as? Int == 316_970_240)
        #expect(object["width"] as? Double == 0.5)
    }

    @Test func perStageDepthsAndClassesReachTheCount() throws {
        let result = try GPNavProcess.run(["macs", "--resolution", "96", "--width", "0.75", "--mv2-depths", "2,3",
                                           "--vit-depths", "1,1,1", "--classes", "10", "--format", "csv"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("model,resolution,width,mv2_depths,vit_depths,classes,convention,macs,params") == true)
        #expect(lines.last == ",96,0.75,\"2,3\",\"1,1,1\",10,published,163315790,1508869,6035476,3017738,1508869,1131652,754435")
    }

    @Test func depthMultiplierScalesBothDepthKinds() throws {
        let result = try GPNavProcess.run(["macs", "--depth-multiplier", "1.5", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["mv2_depths"] as? [Int] == [2, 3])
        #expect(object["vit_depths"] as? [Int] == [3, 6, 5])
    }

    @Test func breakdownListsLayersWhoseSumsAreTheTotals() throws {
        let result = try GPNavProcess.run(["macs", "--resolution", "224", "--breakdown", "--format", "csv"])
        #expect(result.status == 0)
        let rows = result.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        #expect(rows.contains { $0.first == "stage5.mobilevit.resize" && $0[1] == "512x8x8" })
        #expect(rows.contains { $0 == ["stem", "32x112x112", "10838016", "928"] })
        #expect(rows.reduce(0) { $0 + (Int($1[2]) ?? 0) } == 1_414_564_568)
        #expect(rows.reduce(0) { $0 + (Int($1[3]) ?? 0) } == 4_901_841)
        let table = try GPNavProcess.run(["macs", "--breakdown"])
        #expect(table.stdout.contains("stage3.mobilevit.layer0.qkv"))
        #expect(table.stdout.contains("257x4x256"))
    }

    @Test func fullConventionAndBitsOption() throws {
        let result = try GPNavProcess.run(["macs", "--convention", "full", "--bits", "8", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["convention"] as? String == "full")
        #expect((object["macs"] as? Int ?? 0) > 1_815_142_568)
        #expect(object["weight_bytes"] as? [String: Int] == ["8": 4_901_841])
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let status: Int32
        let message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let badInputs: [BadInput] = [
        BadInput(arguments: ["--resolution", "255"], status: 2, message: "resolution 255 is invalid"),
        BadInput(arguments: ["--resolution", "2048"], status: 2, message: "resolution 2048 is invalid"),
        BadInput(arguments: ["--resolution", "abc"], status: 2, message: "'abc' is invalid for '--resolution"),
        BadInput(arguments: ["--width", "0"], status: 2, message: "width multiplier 0.0 is invalid"),
        BadInput(arguments: ["--width", "nan"], status: 2, message: "width multiplier nan is invalid"),
        BadInput(arguments: ["--width", "wide"], status: 2, message: "'wide' is invalid for '--width"),
        BadInput(arguments: ["--mv2-depths", "1,x"], status: 2, message: "--mv2-depths '1,x' is invalid"),
        BadInput(arguments: ["--mv2-depths", "1,2,3"], status: 2, message: "--mv2-depths needs 2 values"),
        BadInput(arguments: ["--vit-depths", "2,4"], status: 2, message: "--vit-depths needs 3 values"),
        BadInput(arguments: ["--vit-depths", "2,0,3"], status: 2, message: "depth 0 is invalid"),
        BadInput(arguments: ["--depth-multiplier=0"], status: 2, message: "depth multiplier 0.0 is invalid"),
        BadInput(arguments: ["--depth-multiplier", "2", "--mv2-depths", "1,1"], status: 2,
                 message: "--depth-multiplier cannot be combined"),
        BadInput(arguments: ["--classes", "0"], status: 2, message: "class count 0 is invalid"),
        BadInput(arguments: ["--model", "mobilevitv2-3.0"], status: 4, message: "unknown model 'mobilevitv2-3.0'"),
        BadInput(arguments: ["--bits", "0"], status: 2, message: "--bits '0' is invalid"),
        BadInput(arguments: ["--bits", "8,x"], status: 2, message: "--bits '8,x' is invalid"),
        BadInput(arguments: ["--convention", "fast"], status: 2, message: "'fast' is invalid for '--convention"),
        BadInput(arguments: ["--format", "xml"], status: 2, message: "'xml' is invalid for '--format"),
        BadInput(arguments: ["--frobnicate"], status: 2, message: "Unknown option '--frobnicate'"),
    ]

    @Test(arguments: badInputs)
    func invalidInputFailsWithOneLineMessage(_ input: BadInput) throws {
        let result = try GPNavProcess.run(["macs"] + input.arguments)
        #expect(result.status == input.status)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("gpnav: error: "))
        #expect(result.stderr.contains(input.message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}

/// Runs the `gpnav` executable built next to this test bundle.
private enum GPNavProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var executable: URL {
        get throws {
            var candidates: [URL] = []
            for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
                candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("gpnav"))
            }
            if let main = Bundle.main.executableURL {
                candidates.append(main.deletingLastPathComponent().appendingPathComponent("gpnav"))
            }
            // Tests/GPNavCLITests/<file> -> repository root -> .build/debug/gpnav
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            candidates.append(root.appendingPathComponent(".build/debug/gpnav"))
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: candidates.map(\.path).joined(separator: ", ")])
            }
            return found
        }
    }

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}
