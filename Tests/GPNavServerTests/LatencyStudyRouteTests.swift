import Foundation
import GPNav
import Testing
@testable import GPNavServer

/// `POST /v1/studies` with a latency budget: the document lists the key, the library checks it,
/// and the service serves the study (measure-only workers measure it: `DeviceMeasurementRouteTests`).
@Suite struct LatencyStudyRouteTests {
    @Test func aStudyWithALatencyBudgetIsServedWithItsBudgetInItsSettings() async throws {
        try await withServer { server in
            let reply = try await server.send("POST", "/v1/studies", body: [
                "name": "edge", "budget": ["macs": 300_000_000], "trials": 5, "latency": ["max_ms": 40, "device": "edge"],
            ])
            #expect(reply.status == 201, "\(reply.text)")
            #expect(try await server.store.study(named: "edge")?.settings.latency == LatencyBudget(maxMs: 40, device: "edge"))
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
