import Foundation
import GPNav
import MobileViT
import Testing
@testable import GPNavServer

/// One trial's result or failure is bounded (``TrialResultLimits``): more metrics, longer names,
/// longer output or reasons are refused with a 400 that says which bound, and the trial stays
/// running for a valid report.
@Suite struct ResultLimitTests {
    static func claim(_ server: TestServer) async throws -> Int {
        try await server.createStudy()
        let reply = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
        let trials = reply.json["trials"] as? [[String: Any]] ?? []
        return try #require(trials.first?["number"] as? Int)
    }

    @Test func oversizedResultsAreRefusedAndTheTrialStillTakesAValidOne() async throws {
        try await withServer { server in
            let number = try await Self.claim(server)
            let path = "/v1/studies/s/trials/\(number)/complete"
            let tooMany = Dictionary(uniqueKeysWithValues: (0...TrialResultLimits.maxMetricCount).map { ("m\($0)", 1.0) })
            let longName = [String(repeating: "k", count: TrialResultLimits.maxMetricNameLength + 1): 1.0]
            let refused: [[String: Any]] = [
                ["accuracy": 70, "metrics": tooMany],
                ["accuracy": 70, "metrics": longName],
                ["accuracy": 70, "metrics": ["bad\u{7}name": 1.0]],
                ["accuracy": 70, "output": String(repeating: "o", count: TrialResultLimits.maxOutputLength + 1)],
            ]
            for body in refused {
                let reply = try await server.send("POST", path, body: body)
                #expect(reply.status == 400, "\(reply.text.prefix(200))")
                #expect(reply.error?.contains("metric") == true || reply.error?.contains("output") == true)
            }
            let longReason = try await server.send("POST", "/v1/studies/s/trials/\(number)/fail",
                                                   body: ["reason": String(repeating: "r", count: TrialResultLimits.maxReasonLength + 1)])
            #expect(longReason.status == 400)
            #expect(try await server.send("GET", "/v1/studies/s").json["running"] as? Int == 1)
            let most = Dictionary(uniqueKeysWithValues: (0..<TrialResultLimits.maxMetricCount).map { ("m\($0)", 1.0) })
            let accepted = try await server.send("POST", path, body: ["accuracy": 70, "metrics": most])
            #expect(accepted.status == 200, "\(accepted.text.prefix(200))")
        }
    }

    @Test func theDocumentStatesTheLimits() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let result = (schemas?["Result"] as? [String: Any])?["properties"] as? [String: Any]
        let metrics = result?["metrics"] as? [String: Any]
        #expect(metrics?["maxProperties"] as? Int == TrialResultLimits.maxMetricCount)
        #expect((metrics?["propertyNames"] as? [String: Any])?["maxLength"] as? Int == TrialResultLimits.maxMetricNameLength)
        #expect((result?["output"] as? [String: Any])?["maxLength"] as? Int == TrialResultLimits.maxOutputLength)
        let create = (schemas?["CreateStudy"] as? [String: Any])?["properties"] as? [String: Any]
        #expect((create?["trials"] as? [String: Any])?["maximum"] as? Int == StudySettings.targetTrialsRange.upperBound)
        #expect((create?["step_factor"] as? [String: Any])?["exclusiveMaximum"] as? Double == 1)
        // The family is a named schema (the server reads it as a string and checks the registry).
        let familyReference = (create?["family"] as? [String: Any])?["$ref"] as? String
        #expect(familyReference == "#/components/schemas/FamilyName")
        let family = (schemas?["FamilyName"] as? [String: Any])?["enum"] as? [Any]
        #expect(family?.compactMap { $0 as? String }.sorted() == ArchitectureFamilies.names.sorted())
    }
}
