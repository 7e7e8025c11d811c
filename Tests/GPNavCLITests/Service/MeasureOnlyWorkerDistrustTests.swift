import Foundation
import GPNav
import Testing

/// `gpnav worker --measure-only` does not take a server's wanted list on trust: the worker judges
/// its readings by each entry's latency budget, so an entry whose budget or target no study could
/// have (the generated client checks types, not ranges) ends the worker with one line, before any
/// measurement.
@Suite(.serialized, .enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full"))
struct MeasureOnlyWorkerDistrustTests {
    static let architecture = #"{"resolution": 256, "width": 1.0, "mv2_depths": [1, 2], "vit_depths": [2, 4, 3]}"#

    static func wanted(maxMs: String, spreads: String = "1", threads: String = "1", bits: String = "32") -> String {
        #"{"wanted": [{"study": "lat", "architecture": \#(architecture), "runtime": "onnxruntime", "threads": \#(threads), "#
            + #""bits": \#(bits), "macs": 1, "params": 1, "max_ms": \#(maxMs), "admission_spreads": \#(spreads)}]}"#
    }

    @Test(arguments: [
        (wanted(maxMs: "-5"), "-5.0 ms is not a latency"),
        (wanted(maxMs: "0"), "0.0 ms is not a latency"),
        (wanted(maxMs: "1e300"), "is not a latency"),
        (wanted(maxMs: "40", spreads: "-1"), "an admission margin of -1.0 spreads"),
        (wanted(maxMs: "40", spreads: "1e9"), "an admission margin of"),
        (wanted(maxMs: "40", threads: "0"), "threads 0 is not in"),
        (wanted(maxMs: "40", bits: "16"), "bits 16 is not measured"),
    ])
    func anImpossibleWantedEntryEndsTheWorkerWithOneLineAndNothingIsMeasured(body: String, says: String) async throws {
        let fixture = try CLIFixture()
        let ran = fixture.file("latency-command-ran")
        let server = try LoopbackHTTPServer { request in
            request.path.hasSuffix("/measurements/wanted")
                ? .init(status: 200, headers: ["Content-Type": "application/json"], body: body)
                : .init(status: 404, reason: "Not Found", body: #"{"error": "not here"}"#)
        }
        defer { server.stop() }
        let output = try await fixture.runner.start([
            "worker", "--server", "http://127.0.0.1:\(server.port)", "--measure-only", "--device-name", "edge",
            "--latency-command", "touch '\(ran)'; echo '{\"latency_ms\": 1, \"latency_spread_ms\": 0.1}'",
        ]).wait(atMost: 30)
        #expect(output.status != 0, "\(output.stderr)")
        let lines = output.stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.last?.hasPrefix("gpnav: error: unreadable server reply: wanted measurements: invalid latency budget: ") == true,
                "\(output.stderr)")
        #expect(output.stderr.contains(says), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ran), "the latency command ran on an entry the worker refused")
        #expect(!server.requests.contains { $0.method == "POST" }, "nothing was sent back: \(server.requests.map(\.path))")
    }
}
