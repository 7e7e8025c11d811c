import Foundation
import GPNav
import Testing

@Suite(.enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full")) struct ServeCommandTests {
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

    @Test func refusesANonLoopbackHostWithoutAToken() async throws {
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

    @Test func sigtermFinishesTheRequestInFlightBeforeExiting() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner)
        // A client that sends its request's body slowly: SIGTERM arrives while it is in flight.
        let script = """
            import socket, sys, time
            body = b'{"name": "slow", "budget": {"macs": 300000000}, "trials": 5}'
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.sendall(b"POST /v1/studies HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/json\\r\\n"
                      + b"Content-Length: %d\\r\\n\\r\\n" % len(body) + body[:10])
            print("sent", flush=True)
            time.sleep(1.5)
            s.sendall(body[10:])
            print(s.recv(65536).split(b"\\r\\n")[0].decode())
            """
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        client.arguments = ["python3", "-c", script, String(server.port)]
        let pipe = Pipe()
        client.standardOutput = pipe
        try client.run()
        // Once the request is half sent (the client says so), the server is told to stop.
        var received = Data()
        while !received.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            received += chunk
        }
        usleep(200_000)
        server.signal(SIGTERM)
        client.waitUntilExit()
        received += pipe.fileHandleForReading.readDataToEndOfFile()
        let reply = String(decoding: received, as: UTF8.self)
        let output = try server.running.wait()
        #expect(reply == "sent\nHTTP/1.1 201 Created\n")
        #expect(output.status == 0, "\(output.stderr)")
        let studies = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly).studies()
        #expect(studies.map(\.name) == ["slow"])
    }
}
