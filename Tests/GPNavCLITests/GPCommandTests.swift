import Foundation
import Testing
import TestScratch

/// End-to-end tests of `gpnav gp`: the built executable runs as a subprocess.
struct GPCommandTests {
    /// The issue's public case: X = RandomState(0).uniform(size=(8, 3)),
    /// y = 70 + 5 x0 + 3 sin(4 x1) - 2 x2^2 (values printed by numpy).
    static let trainingCSV = """
        a,b,c,y
        0.5488135039273248,0.7151893663724195,0.6027633760716439,72.84889478702603
        0.5448831829968969,0.4236547993389047,0.6458941130666561,74.86708871864592
        0.4375872112626925,0.8917730007820798,0.9636627605010293,69.09231725309259
        0.3834415188257777,0.7917250380826646,0.5288949197529045,71.28183352970633
        0.5680445610939323,0.925596638292661,0.07103605819788694,71.23455456454916
        0.08712929970154071,0.02021839744032572,0.832619845547938,69.291491261495
        0.7781567509498505,0.8700121482468192,0.978618342232764,70.9793029607046
        0.7991585642167236,0.46147936225293185,0.7805291762864555,75.66451813161979

        """

    @Test func fixedIssueCaseReproducesScikitLearnInJSON() throws {
        let directory = try scratchDirectory()
        let train = try write(Self.trainingCSV, to: directory, name: "train.csv")
        let query = try write("c,a,b,y\n0.5,0.5,0.5,0\n", to: directory, name: "query.csv")
        let result = try runGPNav(["gp", "--train", train, "--target", "y", "--predict", query,
                                   "--length-scales", "0.5,0.7,0.9", "--fixed", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let lml = try #require(json["log_marginal_likelihood"] as? Double)
        #expect(abs(lml - -11.151649289251) <= 1e-8 * 11.151649289251)
        let predictions = try #require(json["predictions"] as? [[String: Any]])
        let mean = try #require(predictions.first?["mean"] as? Double)
        let std = try #require(predictions.first?["std"] as? Double)
        #expect(abs(mean - 74.29667997791063) <= 1e-8 * 74.29667997791063)
        #expect(abs(std - 0.3452755408614634) <= 1e-8 * 0.3452755408614634)
        #expect(json["length_scales"] as? [Double] == [0.5, 0.7, 0.9])
    }

    @Test func optimisedFitWithNoiseReachesScikitLearnsLikelihoodAsCSV() throws {
        let directory = try scratchDirectory()
        let train = try write(Self.trainingCSV, to: directory, name: "train.csv")
        let result = try runGPNav(["gp", "--train", train, "--target", "y", "--noise-variance", "0.01",
                                   "--restarts", "3", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "parameter,value")
        let lmlLine = try #require(lines.first { $0.hasPrefix("log_marginal_likelihood,") })
        let lml = try #require(Double(lmlLine.dropFirst("log_marginal_likelihood,".count)))
        // scikit-learn 1.9.1, 10 restarts: -7.437401356489904.
        #expect(lml >= -7.437401356489904 - 1e-3)
        #expect(lines.contains { $0.hasPrefix("noise_variance,") })
    }

    /// 40 points of sin(2x) plus noise of standard deviation 0.3 (a sum of three seeded uniforms).
    static func noisyCSV(seed: UInt64) -> String {
        var state = seed
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / 9_007_199_254_740_992
        }
        var rows = ["x,y"]
        for i in 0..<40 {
            let x = Double(i) * 0.125 + 0.05 * uniform()
            let noise = (uniform() + uniform() + uniform() - 1.5) * 0.6
            rows.append("\(x),\(sin(2 * x) + noise)")
        }
        return rows.joined(separator: "\n") + "\n"
    }

    @Test(arguments: [UInt64(11), 2_026, 77_777])
    func aLearnedNoiseTermFitsNoisyDataFarBetterThanNone(seed: UInt64) throws {
        let directory = try scratchDirectory()
        let train = try write(Self.noisyCSV(seed: seed), to: directory, name: "noisy.csv")
        func fit(_ extra: [String]) throws -> [String: Any] {
            let result = try runGPNav(["gp", "--train", train, "--target", "y", "--format", "json"] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        }
        let learned = try fit([])
        let exact = try fit(["--no-noise"])
        let withNoise = try #require(learned["log_marginal_likelihood"] as? Double)
        let withoutNoise = try #require(exact["log_marginal_likelihood"] as? Double)
        #expect(withNoise > withoutNoise + 5, "\(withNoise) vs \(withoutNoise)")
        // The true noise variance is 0.09 against a target variance of about 0.55: about 0.16 normalised.
        let noise = try #require(learned["noise_variance"] as? Double)
        #expect(noise > 0.05 && noise < 0.5, "\(noise)")
        #expect(exact["noise_variance"] == nil)
    }

    @Test func noNoiseWithANoiseVarianceIsAUsageError() throws {
        let directory = try scratchDirectory()
        let train = try write(Self.trainingCSV, to: directory, name: "train.csv")
        let result = try runGPNav(["gp", "--train", train, "--target", "y", "--no-noise", "--noise-variance", "0.1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--no-noise"))
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var name: String
        var train: String
        var extra: [String] = []
        var status: Int32
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        .init(name: "non-numeric cell", train: "a,y\n1,2\nx,3\n", status: 3),
        .init(name: "NaN cell", train: "a,y\n1,2\nnan,3\n", status: 3),
        .init(name: "infinite cell", train: "a,y\n1,2\ninf,3\n", status: 3),
        .init(name: "one row", train: "a,y\n1,2\n", status: 3),
        .init(name: "missing target column", train: "a,b\n1,2\n3,4\n", status: 3),
        .init(name: "ragged row", train: "a,y\n1,2\n3\n", status: 3),
        .init(name: "empty file", train: "", status: 3),
        .init(name: "unclosed quote", train: "a,y\n\"1,2\n", status: 3),
        .init(name: "wrong number of length scales", train: "a,y\n1,2\n3,4\n", extra: ["--length-scales", "1,2"], status: 2),
        .init(name: "negative noise variance", train: "a,y\n1,2\n3,4\n", extra: ["--noise-variance", "-1"], status: 2),
        .init(name: "missing file", train: "", extra: ["--train", "/nonexistent/train.csv"], status: 4),
        .init(name: "prediction file lacks an input", train: "a,y\n1,2\n3,4\n", extra: ["--predict", "PREDICT"], status: 3),
    ]

    @Test(arguments: badInputs)
    func badInputGivesOneLineOnStandardErrorAndNonZeroExit(_ input: BadInput) throws {
        let directory = try scratchDirectory()
        let train = try write(input.train, to: directory, name: "train.csv")
        let predict = try write("b\n1\n", to: directory, name: "predict.csv")
        let extra = input.extra.map { $0 == "PREDICT" ? predict : $0 }
        let result = try runGPNav(["gp", "--train", train, "--target", "y"] + extra)
        #expect(result.status == input.status)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("gpnav: error: "))
        #expect(result.stdout.isEmpty)
    }
}

// MARK: - Running the executable

private struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The `gpnav` built beside the test bundle (same products directory).
private func gpnavExecutable() throws -> URL {
    var candidates: [URL] = []
    if let argument = CommandLine.arguments.first {
        var directory = URL(fileURLWithPath: argument).deletingLastPathComponent()
        // On macOS the runner sits inside PackageTests.xctest/Contents/MacOS.
        while directory.pathExtension == "xctest" || ["MacOS", "Contents"].contains(directory.lastPathComponent) {
            directory.deleteLastPathComponent()
        }
        candidates.append(directory.appendingPathComponent("gpnav"))
    }
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("gpnav"))
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(root.appendingPathComponent(".build/debug/gpnav"))
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: candidates.map(\.path).joined(separator: ", ")])
    }
    return found
}

private func runGPNav(_ arguments: [String]) throws -> ProcessResult {
    let process = Process()
    process.executableURL = try gpnavExecutable()
    process.arguments = arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

private func scratchDirectory() throws -> URL {
    let url = URL(fileURLWithPath: try TestScratch.path("gp"))
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

private func write(_ text: String, to directory: URL, name: String) throws -> String {
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}
