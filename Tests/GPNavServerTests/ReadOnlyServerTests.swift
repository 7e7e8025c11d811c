import Foundation
import GPNav
import Testing
@testable import GPNavServer

/// `gpnav dashboard`'s server: the dashboard and the API's read routes on a store opened for
/// reading, beside a read-write server that changes the same database.
@Suite struct ReadOnlyServerTests {
    @Test func servesThePageAndTheReadRoutesButNoWriteRoute() async throws {
        try await withReadOnlyServer { writer, reader in
            try await writer.createStudy(trials: 4)
            let number = try await claim(writer)

            let page = try await reader.send("GET", "/")
            #expect(page.status == 200)
            #expect(page.text.contains(#"<body data-access="read-only">"#))
            #expect(page.text.contains(#"<p id="read-only" class="read-only">Read-only"#))
            let fullPage = try await writer.send("GET", "/")
            #expect(!fullPage.text.contains("data-access") && !fullPage.text.contains(#"id="read-only""#))

            let studies = try await reader.send("GET", "/v1/studies").json["studies"] as? [[String: Any]]
            #expect(studies?.map { $0["name"] as? String } == ["s"])
            #expect(try await reader.send("GET", "/v1/studies/s").status == 200)
            let trials = try await reader.send("GET", "/v1/studies/s/trials")
            #expect((trials.json["trials"] as? [[String: Any]])?.first?["state"] as? String == "running")
            let live = try await reader.send("GET", "/dashboard/live")
            let study = try #require((live.json["studies"] as? [[String: Any]])?.first)
            #expect((study["running"] as? [[String: Any]])?.first?["number"] as? Int == number)

            // A write to a path that also reads is a 405 naming GET; a write-only path does not exist.
            let create = try await reader.createStudy("t", trials: 3)
            #expect(create.status == 405)
            #expect(create.allow == "GET")
            #expect(try await reader.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"]).status == 404)
            for action in ["heartbeat", "complete", "fail", "reports"] {
                let reply = try await reader.send("POST", "/v1/studies/s/trials/\(number)/\(action)",
                                                  body: ["accuracy": 60.0, "epoch": 1, "error": "x"])
                #expect(reply.status == 404, "\(action)")
            }
            let after = try await writer.store.trials(TrialQuery(study: "s"))
            #expect(after.map(\.state) == [.running])
            #expect(try await writer.store.study(named: "t") == nil)
        }
    }

    @Test func failsNoAbandonedTrialEvenOnAWritableStore() async throws {
        let writer = try await TestServer()
        // A lease of 50 ms and a reap every 200 ms: a reaper here would fail the trial at once.
        let reader = try await TestServer(leaseSeconds: 0.05, access: .readOnly, sharingDatabaseOf: writer,
                                          storeAccess: .readWrite(createIfMissing: false))
        do {
            try await writer.createStudy(trials: 4)
            let number = try await claim(writer)
            try await Task.sleep(for: .seconds(1))
            let trial = try await writer.store.trials(TrialQuery(study: "s")).first { $0.number == number }
            #expect(trial?.state == .running)
        } catch {
            await reader.stop()
            await writer.stop()
            throw error
        }
        await reader.stop()
        await writer.stop()
    }

    // MARK: Helpers

    /// A read-write server and a read-only one on the same database.
    private func withReadOnlyServer(_ body: (_ writer: TestServer, _ reader: TestServer) async throws -> Void) async throws {
        try await withServer { writer in
            let reader = try await TestServer(access: .readOnly, sharingDatabaseOf: writer)
            do {
                try await body(writer, reader)
            } catch {
                await reader.stop()
                throw error
            }
            await reader.stop()
        }
    }

    private func claim(_ server: TestServer) async throws -> Int {
        let reply = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "gpu-1"])
        return try #require((reply.json["trials"] as? [[String: Any]])?.first?["number"] as? Int)
    }
}
