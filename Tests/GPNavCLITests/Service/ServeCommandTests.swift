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
        let output = try await server.stop()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(Date().timeIntervalSince(started) < 5)
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.first == "gpnav: listening on http://127.0.0.1:\(server.port)")
        // Then the access log: one line for the request.
        #expect(lines.dropFirst().contains { $0.contains("GET /healthz 200") }, "\(output.stderr)")
    }

    @Test func logsJSONLinesWithoutTheTokenAtTheLevelAsked() async throws {
        let fixture = try CLIFixture()
        try "file-token-123\n".write(toFile: fixture.file("token"), atomically: true, encoding: .utf8)
        let server = try ServeProcess(fixture.runner, arguments: ["--token-file", fixture.file("token"), "--log-format", "json"])
        #expect(try await server.send("POST", "/v1/studies", body: ["name": "s", "budget": ["macs": 300_000_000], "trials": 3],
                                      token: "file-token-123").status == 201)
        let output = try await server.stop()
        let entries = output.stderr.split(separator: "\n").dropFirst().map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: String]
        }
        #expect(!entries.isEmpty && entries.allSatisfy { $0 != nil }, "\(output.stderr)")
        #expect(entries.contains { $0?["event"] == "study_created" && $0?["study"] == "s" })
        #expect(entries.contains { $0?["event"] == "request" && $0?["status"] == "201" && $0?["method"] == "POST" })
        #expect(!output.stderr.contains("file-token-123"))

        let quiet = try ServeProcess(fixture.runner, arguments: ["--log-level", "warning"])
        #expect(try await quiet.send("GET", "/healthz").status == 200)
        await #expect(try quiet.stop().stderr == "gpnav: listening on http://127.0.0.1:\(quiet.port)\n")
    }

    @Test func refusesLimitsOutsideTheirRanges() async throws {
        let fixture = try CLIFixture()
        for arguments in [["--max-connections", "0"], ["--header-timeout", "0"], ["--idle-timeout", "1e20"],
                          ["--body-timeout", "nan"], ["--max-open-studies", "0"], ["--study-cache-memory", "lots"],
                          ["--log-level", "loud"], ["--log-format", "xml"], ["--idle-timeout", "100000"]] {
            let output = try await fixture.runner.run(["serve", "--port", "0"] + arguments)
            #expect(output.status == 2, "\(arguments): \(output.stderr)")
            #expect(output.stderr.split(separator: "\n").count == 1, "\(arguments): \(output.stderr)")
        }
    }

    @Test func refusesANonLoopbackHostWithoutAToken() async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.run(["serve", "--host", "0.0.0.0", "--port", "0"])
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
        let output = try await server.stop()
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
        try await pause(0.2)
        server.signal(SIGTERM)
        client.waitUntilExit()
        received += pipe.fileHandleForReading.readDataToEndOfFile()
        let reply = String(decoding: received, as: UTF8.self)
        let output = try await server.running.wait()
        #expect(reply == "sent\nHTTP/1.1 201 Created\n")
        #expect(output.status == 0, "\(output.stderr)")
        let studies = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly).studies()
        #expect(studies.map(\.name) == ["slow"])
    }
}
