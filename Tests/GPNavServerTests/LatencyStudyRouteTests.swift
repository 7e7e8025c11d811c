import Foundation
import GPNav
import Testing
@testable import GPNavServer

/// `POST /v1/studies` with a latency budget: the document lists the key, the library checks it,
/// and the service refuses a study it cannot screen (its workers do not measure) without storing it.
@Suite struct LatencyStudyRouteTests {
    @Test func aStudyWithALatencyBudgetIsRefused422AndNotStored() async throws {
        try await withServer { server in
            let reply = try await server.send("POST", "/v1/studies", body: [
                "name": "edge", "budget": ["macs": 300_000_000], "trials": 5, "latency": ["max_ms": 40, "device": "edge"],
            ])
            #expect(reply.status == 422, "\(reply.text)")
            #expect(reply.error == LatencyError.notServed(study: "edge").description)
            #expect((try await server.send("GET", "/v1/studies").json["studies"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func anInvalidLatencyBudgetIs422InTheLibrarysWordsAndAnUnknownKeyIs400() async throws {
        try await withServer { server in
            let invalid = try await server.send("POST", "/v1/studies", body: [
                "name": "edge", "budget": ["macs": 300_000_000], "trials": 5,
                "latency": ["max_ms": 40, "device": "edge", "threads": 0],
            ])
            #expect(invalid.status == 422, "\(invalid.text)")
            #expect(invalid.error == LatencyError.invalidBudget("threads 0 is not in 1...1024").description)
            let unknown = try await server.send("POST", "/v1/studies", body: [
                "name": "edge", "budget": ["macs": 300_000_000], "trials": 5, "latency": ["max_ms": 40, "device": "e", "ms": 1],
            ])
            #expect(unknown.status == 400, "\(unknown.text)")
        }
    }
}
