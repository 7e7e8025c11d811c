import Foundation
import GPNav
import Testing
@testable import GPNavServer

/// `POST /v1/studies` with `family`: the study searches that family's space, and suggestions are of it.
@Suite struct StudyFamilyTests {
    @Test func aStudyCreatedWithFamilyMobileViTSuggestsMobileViTArchitectures() async throws {
        try await withServer { server in
            let created = try await server.send("POST", "/v1/studies", body: [
                "name": "v1", "budget": ["macs": 300_000_000], "trials": 4, "family": "mobilevit",
            ])
            #expect(created.status == 201)
            let reply = try await server.send("POST", "/v1/studies/v1/suggestions", body: ["worker": "w"])
            let trial = try #require((reply.json["trials"] as? [[String: Any]])?.first)
            #expect((trial["architecture"] as? [String: Any])?["family"] as? String == "mobilevit")
            #expect((trial["config"] as? [String: Any])?["family"] as? String == "mobilevit")
            let study = try await server.send("GET", "/v1/studies/v1")
            #expect((study.json["space"] as? [String: Any])?["family"] as? String == "mobilevit")
        }
    }

    @Test func anUnknownFamilyIsRefusedAsUnprocessable() async throws {
        try await withServer { server in
            let created = try await server.send("POST", "/v1/studies", body: [
                "name": "x", "budget": ["macs": 300_000_000], "trials": 4, "family": "resnet",
            ])
            #expect(created.status == 422)
            #expect((created.json["error"] as? String)?.contains("resnet") == true)
        }
    }
}
