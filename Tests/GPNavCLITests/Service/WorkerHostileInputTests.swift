import Foundation
import GPNav
import MobileViT
import Testing

/// `gpnav worker` given values that cannot be used (huge durations, bad server URLs, passwords in
/// the URL): one line and a non-zero exit, never a crash, a hang or a password on the screen.
@Suite(.serialized, .enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full")) struct WorkerHostileInputTests {
    /// A fake server with study `s` and one trial 0 whose reply says `lease_seconds: lease` (and
    /// `retried_trial: retried` when given); results are accepted, and the next suggestion says the
    /// study is done.
    private func fakeServer(lease: String, retried: String? = nil) throws -> LoopbackHTTPServer {
        let architecture = try Preset.named("mobilevitv2-0.5").architecture
        let json = String(decoding: try JSONEncoder().encode(architecture), as: UTF8.self)
        let suggested = LockedFlag()
        return try LoopbackHTTPServer { request in
            switch (request.method, request.path) {
            case ("GET", "/v1/studies/s"):
                return .init(status: 200, body: #"{"name": "s", "seed": 0}"#)
            case ("POST", "/v1/studies/s/suggestions"):
                guard suggested.set() else { return .init(status: 200, body: #"{"trials": [], "done": true}"#) }
                return .init(status: 200, body: #"{"trials": [{"number": 0, "architecture": \#(json), "macs": 1, "params": 1, "lease_seconds": \#(lease)\#(retried.map { ", \"retried_trial\": \($0)" } ?? "")}], "done": false}"#)
            default:
                return .init(status: 200, body: "{}")
            }
        }
    }

    @Test func aTimeoutBeyondAYearIsRefusedBeforeAnyRequest() async throws {
        let fixture = try CLIFixture()
        let server = try fakeServer(lease: "30")
        defer { server.stop() }
        let output = try await fixture.runner.start(["worker", "--server", "http://127.0.0.1:\(server.port)", "--study", "s",
                                               "--command", "echo '{\"accuracy\": 50}'", "--timeout", "1e20"]).wait(atMost: 30)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stderr.hasPrefix("gpnav: error:") && output.stderr.contains("--timeout"), "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
        #expect(server.requests.isEmpty)
    }

    @Test(arguments: ["1e20", "-5", "0"])
    func aReplyWithAnUnusableLeaseEndsTheWorkerWithOneLine(lease: String) async throws {
        let fixture = try CLIFixture()
        let server = try fakeServer(lease: lease)
        defer { server.stop() }
        let output = try await fixture.runner.start(["worker", "--server", "http://127.0.0.1:\(server.port)", "--study", "s",
                                               "--evaluator", "stub"]).wait(atMost: 30)
        #expect(output.status != 0 && output.status < 128, "\(output.status) \(output.stderr)")
        let errors = output.stderr.split(separator: "\n").filter { $0.hasPrefix("gpnav: error:") }
        #expect(errors.count == 1 && errors.first?.contains("lease_seconds") == true, "\(output.stderr)")
        #expect(!output.stderr.contains("Fatal error"))
    }

    /// A trial retries only an earlier one: another number would hand it another trial's checkpoint.
    @Test(arguments: ["0", "-1", "7"])
    func aReplyRetryingATrialThatIsNotEarlierEndsTheWorkerWithOneLine(retried: String) async throws {
        let fixture = try CLIFixture()
        let server = try fakeServer(lease: "30", retried: retried)
        defer { server.stop() }
        let output = try await fixture.runner.start(["worker", "--server", "http://127.0.0.1:\(server.port)", "--study", "s",
                                               "--evaluator", "stub"]).wait(atMost: 30)
        #expect(output.status != 0 && output.status < 128, "\(output.status) \(output.stderr)")
        let errors = output.stderr.split(separator: "\n").filter { $0.hasPrefix("gpnav: error:") }
        #expect(errors.count == 1 && errors.first?.contains("retried_trial") == true, "\(output.stderr)")
    }

    @Test(arguments: [
        "http://127.0.0.1:99999",
        "http://127.0.0.1:0",
        "http://127.0.0.1:8470\n",
        "http://127.0.0.1\n:8470",
        "http://" + String(repeating: "a", count: 10_000) + ":8470",
        "http://bad host:8470",
        "ftp://127.0.0.1:8470",
        "http://:8470",
    ])
    func aServerURLThatCannotBeReachedIsRefusedAtOnce(server: String) async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.start(["worker", "--server", server, "--study", "s", "--evaluator", "stub"])
            .wait(atMost: 15)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stderr.hasPrefix("gpnav: error:") && output.stderr.contains("--server"), "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
        #expect(output.stderr.count < 400, "\(output.stderr)")
    }

    @Test func controlCharactersInAServerMessageReachTheTerminalEscaped() async throws {
        let fixture = try CLIFixture()
        let architecture = try Preset.named("mobilevitv2-0.5").architecture
        let json = String(decoding: try JSONEncoder().encode(architecture), as: UTF8.self)
        let suggested = LockedFlag()
        let server = try LoopbackHTTPServer { request in
            switch (request.method, request.path) {
            case ("GET", "/v1/studies/s"):
                return .init(status: 200, body: #"{"name": "s", "seed": 0}"#)
            case ("POST", "/v1/studies/s/suggestions"):
                guard suggested.set() else { return .init(status: 200, body: #"{"trials": [], "done": true}"#) }
                return .init(status: 200, body: #"{"trials": [{"number": 0, "architecture": \#(json), "macs": 1, "params": 1, "lease_seconds": 30}], "done": false}"#)
            default:
                return .init(status: 409, reason: "Conflict", body: #"{"error": "told \u001b[2J\u001b]0;owned\u0007 before"}"#)
            }
        }
        defer { server.stop() }
        let output = try await fixture.runner.start(["worker", "--server", "http://127.0.0.1:\(server.port)", "--study", "s",
                                               "--evaluator", "stub"]).wait(atMost: 30)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("result of trial 0 refused: told \\u{1B}[2J"), "\(output.stderr)")
        #expect(!output.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, "\(output.stderr)")
    }

    @Test func aPasswordInTheServerURLIsNeverPrinted() async throws {
        let fixture = try CLIFixture()
        let worker = try fixture.runner.start(["worker", "--server", "http://alice:hunter2-secret@127.0.0.1:1", "--study", "s",
                                               "--evaluator", "stub"])
        // Port 1 refuses connections: the worker retries and says so.
        try await pause(1.5)
        kill(worker.process.processIdentifier, SIGTERM)
        let output = try await worker.wait(atMost: 15)
        #expect(output.stderr.contains("server unreachable"), "\(output.stderr)")
        #expect(!output.stderr.contains("hunter2"), "\(output.stderr)")
        #expect(output.stderr.contains("http://alice:***@127.0.0.1:1"), "\(output.stderr)")
    }
}

/// A flag that is set once: `set()` is true for the first caller only.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() -> Bool {
        lock.withLock {
            defer { value = true }
            return !value
        }
    }
}
