import Foundation
import GPNav
import Testing
@testable import GPNavServer

/// Open studies are bounded: beyond the limit the least recently asked is closed, and asking it
/// again opens it from the store with the same answers as a server that never closed it.
@Suite struct StudyCacheTests {
    /// Asks and tells in turn on three studies; the architectures suggested, in order.
    static func run(_ server: TestServer) async throws -> [String] {
        for name in ["a", "b", "c"] { try await server.createStudy(name, trials: 6) }
        var suggested: [String] = []
        for round in 0..<4 {
            for name in ["a", "b", "c"] {
                let reply = try await server.send("POST", "/v1/studies/\(name)/suggestions", body: ["worker": "w"])
                let trial = try #require((reply.json["trials"] as? [[String: Any]])?.first, "\(reply.text)")
                let number = try #require(trial["number"] as? Int)
                let architecture = try JSONSerialization.data(withJSONObject: trial["architecture"] ?? [:], options: .sortedKeys)
                suggested.append("\(name) \(number) \(String(decoding: architecture, as: UTF8.self))")
                let told = try await server.send("POST", "/v1/studies/\(name)/trials/\(number)/complete",
                                                 body: ["accuracy": 60 + Double(round) + Double(number) / 10])
                #expect(told.status == 200)
            }
        }
        return suggested
    }

    @Test func aClosedStudyIsReopenedWithTheSameAnswers() async throws {
        var reference: [String] = []
        try await withServer { server in reference = try await Self.run(server) }
        try await withServer(studyCache: StudyCacheLimits(maxStudies: 1)) { server in
            #expect(try await Self.run(server) == reference)
            #expect(await server.service.sessions.openSessions.count == 1)
            #expect(await server.service.sessions.evictions >= 11)
            let metrics = try await server.send("GET", "/metrics").text
            #expect(metrics.contains("gpnav_open_studies 1\n"))
        }
    }

    @Test func theMemoryBoundClosesAllButTheStudyInUse() async throws {
        try await withServer(studyCache: StudyCacheLimits(maxStudies: 100, maxBytes: 1 << 20)) { server in
            for name in ["a", "b"] {
                try await server.createStudy(name)
                #expect(try await server.send("POST", "/v1/studies/\(name)/suggestions", body: ["worker": "w"]).status == 200)
            }
            // A default space's candidate pool is estimated well over 1 MiB: only the study in use stays.
            _ = try await server.send("POST", "/v1/studies/a/suggestions", body: ["worker": "w"])
            #expect(await server.service.sessions.openSessions.keys.sorted() == ["a"])
            #expect(await server.service.sessions.cachedBytes > 1 << 20)
            // Reads and results of a closed study need no open session.
            #expect(try await server.send("GET", "/v1/studies/b").json["running"] as? Int == 1)
            #expect(await server.service.sessions.openSessions.keys.sorted() == ["a"])
        }
    }
}
