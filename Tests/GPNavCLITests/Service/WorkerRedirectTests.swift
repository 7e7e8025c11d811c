import Foundation
import GPNav
import Testing

/// `gpnav worker` and HTTP redirects: the bearer token never reaches another origin.
@Suite(.serialized, .enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full")) struct WorkerRedirectTests {
    @Test(arguments: [307, 302, 308])
    func aRedirectToAnotherOriginIsNotFollowedAndTheTokenStaysHome(status: Int) async throws {
        let fixture = try CLIFixture()
        let elsewhere = try LoopbackHTTPServer { _ in
            .init(status: 404, reason: "Not Found", body: #"{"error": "unknown study 's'"}"#)
        }
        defer { elsewhere.stop() }
        let home = try LoopbackHTTPServer { request in
            .init(status: status, reason: "Moved", headers: ["Location": "http://127.0.0.1:\(elsewhere.port)\(request.path)"])
        }
        defer { home.stop() }
        var runner = fixture.runner
        runner.environment["GPNAV_TOKEN"] = "secret-token"
        let output = try await runner.start(["worker", "--server", "http://127.0.0.1:\(home.port)", "--study", "s",
                                       "--evaluator", "stub"]).wait(atMost: 30)
        #expect(!home.requests.isEmpty)
        #expect(home.requests.first?.headers["authorization"] == "Bearer secret-token")
        #expect(!elsewhere.requests.contains { $0.headers["authorization"] != nil },
                "the token reached another origin: \(elsewhere.requests.map(\.headers))")
        #expect(elsewhere.requests.isEmpty, "a redirect to another origin was followed")
        #expect(output.status == 2, "\(output.stderr)")
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("gpnav: error:") == true, "\(output.stderr)")
        #expect(output.stderr.contains("redirect") && output.stderr.contains("127.0.0.1:\(elsewhere.port)"), "\(output.stderr)")
        #expect(!output.stderr.contains("secret-token"))
    }

    @Test func aRedirectToAnotherSchemeOnTheSameHostIsAnotherOrigin() async throws {
        let fixture = try CLIFixture()
        let home = try LoopbackHTTPServer { request in
            .init(status: 301, reason: "Moved", headers: ["Location": "https://127.0.0.1:1\(request.path)"])
        }
        defer { home.stop() }
        var runner = fixture.runner
        runner.environment["GPNAV_TOKEN"] = "secret-token"
        let output = try await runner.start(["worker", "--server", "http://127.0.0.1:\(home.port)", "--study", "s",
                                       "--evaluator", "stub"]).wait(atMost: 30)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stderr.contains("redirect") && output.stderr.contains("https://127.0.0.1:1"), "\(output.stderr)")
    }

    @Test func aRedirectWithinTheSameOriginIsFollowedWithTheToken() async throws {
        let fixture = try CLIFixture()
        let home = try LoopbackHTTPServer { request in
            request.path.hasPrefix("/v1/")
                ? .init(status: 307, reason: "Moved", headers: ["Location": "/moved" + request.path])
                : .init(status: 404, reason: "Not Found", body: #"{"error": "unknown study 's'"}"#)
        }
        defer { home.stop() }
        var runner = fixture.runner
        runner.environment["GPNAV_TOKEN"] = "secret-token"
        let output = try await runner.start(["worker", "--server", "http://127.0.0.1:\(home.port)", "--study", "s",
                                       "--evaluator", "stub"]).wait(atMost: 30)
        #expect(output.status == 4, "\(output.stderr)")
        #expect(output.stderr == "gpnav: error: server refused (HTTP 404): unknown study 's'\n")
        #expect(home.requests.map(\.path) == ["/v1/studies/s", "/moved/v1/studies/s"])
        #expect(home.requests.allSatisfy { $0.headers["authorization"] == "Bearer secret-token" })
    }
}
