import Foundation
import GPNav
import Testing

/// The Python worker of the README's "Run it as a service" section (on `gpnav_client`), run as written.
@Suite(.enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full")) struct ReadmePythonWorkerTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")

    /// The first ```python block after the section's heading.
    static func workerScript() throws -> String {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.range(of: "## Run it as a service"))
        let start = try #require(text.range(of: "```python\n", range: section.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// `python/client`, where `gpnav_client` lives (standard library only, so any python3 runs it).
    static let clientPath = readme.deletingLastPathComponent().appendingPathComponent("python/client").path

    @Test func theScriptIsAboutTenLinesOnTheClient() throws {
        let script = try Self.workerScript()
        #expect(script.split(separator: "\n", omittingEmptySubsequences: true).count <= 12, "\(script)")
        #expect(script.contains("from gpnav_client import Study"))
        #expect(!script.contains("import requests"))
    }

    @Test func theReadmePythonWorkerCompletesAStudy() async throws {
        let fixture = try CLIFixture()
        try Self.workerScript().write(toFile: fixture.file("worker.py"), atomically: true, encoding: .utf8)
        let server = try ServeProcess(fixture.runner, environment: ["GPNAV_TOKEN": "py-token"])
        #expect(try await server.createStudy("py", trials: 6, token: "py-token") == 201)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", fixture.file("worker.py"), server.url, "py"]
        python.environment = ProcessInfo.processInfo.environment.merging(
            ["GPNAV_TOKEN": "py-token", "PYTHONPATH": Self.clientPath]) { $1 }
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        try await server.stop()
        let trials = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly)
            .trials(TrialQuery(study: "py", state: .complete))
        #expect(trials.count >= 6)
        for trial in trials {
            let expected = 50 + 10 * trial.architecture.width + Double(trial.architecture.resolution) / 100
            #expect(abs((trial.accuracy ?? 0) - expected) < 1e-9)
        }
    }
}
