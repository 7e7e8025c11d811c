import Foundation
import GPNav
import Testing

@Suite struct ServeCommandTests {
    @Test func printsTheRealPortAndExitsZeroOnSIGTERM() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner)
        #expect(server.port > 0 && server.port != 8470)
        #expect(try await server.send("GET", "/healthz").status == 200)
        let started = Date()
        let output = try server.stop()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(output.stderr == "gpnav: listening on http://127.0.0.1:\(server.port)\n")
    }

    @Test func refusesANonLoopbackHostWithoutAToken() throws {
        let fixture = try CLIFixture()
        let output = try fixture.runner.run(["serve", "--host", "0.0.0.0", "--port", "0"])
        #expect(output.status == 2)
        #expect(output.stderr == "gpnav: error: refusing to serve on non-loopback host 0.0.0.0 without a token\n")
        #expect(try fixture.contents().isEmpty)
    }

    @Test func readsTheTokenFromAFileAndNeverPrintsIt() async throws {
        let fixture = try CLIFixture()
        try "file-token-123\n".write(toFile: fixture.file("token"), atomically: true, encoding: .utf8)
        let server = try ServeProcess(fixture.runner, arguments: ["--token-file", fixture.file("token")])
        #expect(try await server.send("GET", "/v1/studies").status == 401)
        #expect(try await server.send("GET", "/v1/studies", token: "file-token-123").status == 200)
        let output = try server.stop()
        #expect(!output.stderr.contains("file-token-123"))
        #expect(!output.stdout.contains("file-token-123"))
    }
}
