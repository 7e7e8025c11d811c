import Foundation
import GPNav
import Testing

/// `gpnav export --format onnx`: the Swift side, run against fake interpreters (shell scripts) that
/// record how they were called and answer as `python -m gpnav_torch.export` does or as a Python
/// without the deploy extra does. The real exporter is exercised by python/tests/test_gpnav_export_onnx.py.
@Suite("gpnav export --format onnx")
struct ExportONNXCommandTests {
    /// An executable script at `name` in the fixture's directory.
    func fakePython(_ fixture: CLIFixture, _ name: String, _ body: String) throws -> String {
        let path = fixture.file(name)
        try Data(("#!/bin/sh\n" + body + "\n").utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    /// A fake exporter: writes its arguments one per line to `args.txt`, copies the config to
    /// `config.json`, touches the --onnx file and prints the report line.
    func recordingExporter(_ fixture: CLIFixture) throws -> String {
        try fakePython(fixture, "fake-python", """
            printf '%s\\n' "$@" > '\(fixture.file("args.txt"))'
            while [ $# -gt 0 ]; do
              case "$1" in
                --config) cp "$2" '\(fixture.file("config.json"))'; shift ;;
                --onnx) out="$2"; : > "$out"; shift ;;
              esac
              shift
            done
            echo '{"onnx": "'"$out"'", "opset": 17, "max_abs_diff": 1.5e-06, "limit": 0.001, "passed": true}'
            """)
    }

    @Test func exportRunsThePythonExporterWithTheTrialsConfigAndWeightsWhenPresent() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let python = try recordingExporter(fixture)
        let directory = URL(fileURLWithPath: fixture.file("gpnav-configs"))
        let files = TrialFiles(directory: directory, study: "s300", trial: 1)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("weights".utf8).write(to: files.weights)

        let output = try await fixture.runner.run(["export", "--study", "s300", "--trial", "1", "--format", "onnx",
                                             "--python", python, "--out", fixture.file("t1.onnx")])
        #expect(output.status == 0, "\(output.stderr)")
        let arguments = try String(contentsOfFile: fixture.file("args.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(Array(arguments.prefix(2)) == ["-m", "gpnav_torch.export"])
        #expect(arguments.contains("--checkpoint") && arguments.contains(files.weights.path))
        #expect(arguments.contains(fixture.file("t1.onnx")))
        let config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture.file("config.json")))) as? [String: Any])
        #expect(config["resolution"] as? Int == 224 && config["width"] as? Double == 0.5 && config["trial"] as? Int == 1)
        #expect(config["channel_plan"] != nil)
        #expect(output.stdout.hasPrefix("wrote \(fixture.file("t1.onnx")): trial 1 of study 's300'"))
        #expect(output.stdout.contains("weights \(files.weights.path)") && output.stdout.contains("opset 17"))
        #expect(output.stdout.contains("1.5e-06"))
    }

    /// `best` of s300 is trial 1 (trial 0 is over the budget).
    @Test func exportWithoutTrainedWeightsSaysItExportedRandomInitialWeightsToTheDefaultFile() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let python = try recordingExporter(fixture)
        let output = try await fixture.runner.run(["export", "--study", "s300", "--trial", "best", "--format", "onnx", "--python", python])
        #expect(output.status == 0, "\(output.stderr)")
        let arguments = try String(contentsOfFile: fixture.file("args.txt"), encoding: .utf8)
        #expect(!arguments.contains("--checkpoint"))
        #expect(output.stdout.contains("random initial weights (seed 0; no trained weights at "))
        let written = try fixture.contents()
        #expect(written.contains("s300-trial-1.onnx"), "\(written)")
    }

    @Test func anInterpreterWithoutTheDeployExtraIsOneLineNamingTheModuleAndExit4() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let python = try fakePython(fixture, "no-onnx", """
            echo "gpnav_torch.export: error: ModuleNotFoundError: No module named 'onnx'" >&2
            exit 1
            """)
        let output = try await fixture.runner.run(["export", "--study", "s300", "--trial", "1", "--format", "onnx", "--python", python])
        #expect(output.status == 4)
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
        #expect(output.stderr.contains("cannot import onnx") && output.stderr.contains("python/[deploy]"))
        #expect(output.stdout.isEmpty)
    }

    @Test func aMissingInterpreterIsOneLineNamingIt() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let missing = fixture.file("no-such-python")
        let output = try await fixture.runner.run(["export", "--study", "s300", "--trial", "1", "--format", "onnx", "--python", missing])
        #expect(output.status == 4)
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
        #expect(output.stderr.contains("no Python interpreter '\(missing)'") && output.stderr.contains("--python"))
    }

    @Test func aFailedExportEndsWithTheExportersOwnLine() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let python = try fakePython(fixture, "mismatch", """
            echo "gpnav_torch.export: error: the ONNX model's logits differ from PyTorch's by up to 0.3" >&2
            exit 1
            """)
        let output = try await fixture.runner.run(["export", "--study", "s300", "--trial", "1", "--format", "onnx", "--python", python])
        #expect(output.status == 6)
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
        #expect(output.stderr.contains("exited with status 1: gpnav_torch.export: error: the ONNX model's logits differ"))
    }

    @Test func pythonWithoutOnnxFormatIsAUsageError() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["export", "--study", "s300", "--trial", "1", "--python", "python3"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("--python needs --format onnx"))
    }

    @Test func aFileSafeNameCannotLeaveTheDirectory() {
        #expect(TrialFiles.fileSafe("../a b/c") == "___a_b_c")
    }
}
