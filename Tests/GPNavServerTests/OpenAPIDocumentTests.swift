import Foundation
import GPNav
import MobileViT
import Testing
@testable import GPNavServer

/// `Sources/GPNavServer/openapi.json` is the one source of the wire contract: the server serves it
/// as written, and the limits it states are the library's.
@Suite struct OpenAPIDocumentTests {
    /// The document file in the source tree, read as the generator reads it.
    static func file() throws -> Any {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/GPNavServer/openapi.json").standardizedFileURL
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }

    @Test func theServedDocumentIsTheFile() async throws {
        try await withServer(token: "t") { server in
            // Served without a token, as JSON.
            let reply = try await server.send("GET", "/openapi.json")
            #expect(reply.status == 200)
            #expect(reply.contentType?.hasPrefix("application/json") == true)
            let served = try JSONSerialization.jsonObject(with: reply.data)
            let file = try Self.file()
            #expect(NSDictionary(dictionary: try #require(served as? [String: Any]))
                .isEqual(to: try #require(file as? [String: Any])))
        }
    }

    @Test func theDocumentStatesTheLibrarysRules() throws {
        let document = try #require(try Self.file() as? [String: Any])
        let components = try #require(document["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: [String: Any]])
        func property(_ schema: String, _ name: String) -> [String: Any] {
            (schemas[schema]?["properties"] as? [String: Any])?[name] as? [String: Any] ?? [:]
        }
        #expect(property("CreateStudy", "name")["maxLength"] as? Int == StudyName.maximumLength)
        #expect(property("CreateStudy", "trials")["minimum"] as? Int == StudySettings.targetTrialsRange.lowerBound)
        #expect(property("CreateStudy", "trials")["maximum"] as? Int == StudySettings.targetTrialsRange.upperBound)
        #expect(property("CreateStudy", "step_factor")["exclusiveMinimum"] as? Double == StudySettings.stepFactorBounds.lower)
        #expect(property("CreateStudy", "step_factor")["exclusiveMaximum"] as? Double == StudySettings.stepFactorBounds.upper)
        #expect(property("CreateStudy", "evaluator")["maxLength"] as? Int == StudySettings.maxEvaluatorSummaryLength)
        #expect(property("Budget", "bits")["enum"] as? [Int] == Budget.supportedBits)
        #expect(property("Budget", "macs")["maximum"] as? Int == Int.max)
        #expect(property("SuggestionRequest", "count")["maximum"] as? Int == ServerLimits.maxSuggestionCount)
        #expect(property("Failure", "reason")["maxLength"] as? Int == TrialResultLimits.maxReasonLength)
        #expect(property("Failure", "output")["maxLength"] as? Int == TrialResultLimits.maxOutputLength)
        #expect(schemas["FamilyName"]?["enum"] as? [String] == ArchitectureFamilies.names)
        #expect(schemas["TrialStateName"]?["enum"] as? [String] == TrialState.allCases.map(\.rawValue))
        #expect(schemas["TrialSortKey"]?["enum"] as? [String] == TrialQuery.SortKey.allCases.map(\.rawValue))
        #expect(schemas["SearchPhaseName"]?["enum"] as? [String] == [SearchPhase.downsizing, .gaussianProcess, .random].map(\.rawValue))
        let parameters = try #require(components["parameters"] as? [String: [String: Any]])
        #expect((parameters["TrialNumber"]?["schema"] as? [String: Any])?["pattern"] as? String == CanonicalInteger.pattern)
        let info = try #require(document["info"] as? [String: Any])
        #expect((info["description"] as? String)?.contains("at most \(ServerLimits.maxBodyBytes) bytes") == true)
    }
}
