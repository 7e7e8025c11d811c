import Foundation
import GPNav
import MobileViT
import Testing
@testable import GPNavServer

/// The OpenAPI document's family-generated schemas are the registry's (`swift run
/// regenerate-openapi` writes them); its `Architecture`, `SearchSpace` and `Trial` schemas accept
/// every registered family's values, as the server writes them and as clients send them, and a
/// served ask of any family.
@Suite struct FamilySchemasTests {
    private static func validator(_ name: String = "Architecture") throws -> (SchemaSubsetValidator, [String: Any]) {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        return (SchemaSubsetValidator(document: document), try #require(schemas[name] as? [String: Any]))
    }

    private static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func theDocumentsFamilySchemasAreTheRegistrysAndRegeneratingChangesNoByte() throws {
        let document = try Self.object(OpenAPIDocument.data)
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        for (name, declared) in FamilySchemas.all {
            let inFile = try #require(schemas?[name] as? [String: Any])
            #expect(NSDictionary(dictionary: inFile).isEqual(to: declared), "openapi.json's \(name) schema is not the registry's")
        }
        #expect(try FamilySchemas.regenerated(OpenAPIDocument.json) == OpenAPIDocument.json,
                "openapi.json differs from the family registry's schemas: run `swift run regenerate-openapi`")
    }

    @Test func regeneratingReplacesOnlyTheFamilySchemasAndKeepsEveryOtherLine() throws {
        let stale = OpenAPIDocument.json.replacingOccurrences(of: "\"title\": \"MobileNetV2\"", with: "\"title\": \"Stale\"")
        #expect(stale != OpenAPIDocument.json)
        #expect(try FamilySchemas.regenerated(stale) == OpenAPIDocument.json)
        #expect(throws: FamilySchemasError.self) { try FamilySchemas.regenerated("{}") }
    }

    @Test(arguments: ArchitectureFamilies.names)
    func everyFamilysDefaultSearchSpaceValidatesAgainstTheDocumentsSearchSpaceSchemaAndNoOtherFamilysBranch(_ name: String) throws {
        let (validator, schema) = try Self.validator("SearchSpace")
        let space = try Self.object(JSONEncoder().encode(SearchSpace(family: try ArchitectureFamilies.named(name))))
        #expect(validator.problems(space, schema).isEmpty, "\(validator.problems(space, schema))")
        var renamed = space
        renamed["family"] = name == "mobilenetv2" ? "mobilevit" : "mobilenetv2"
        #expect(!validator.problems(renamed, schema).isEmpty, "a space with another family's name but its own grids")
    }

    @Test(arguments: ArchitectureFamilies.names)
    func everyFamilysTrialJSONValidatesAgainstTheDocumentsTrialSchema(_ name: String) throws {
        let (validator, schema) = try Self.validator("Trial")
        let architecture = try ArchitectureFamilies.named(name).baseArchitecture()
        let trial = Trial(studyID: 1, number: 0, state: .complete, architecture: architecture, macs: 1, params: 1,
                          accuracy: 70, metrics: ["top5": 90], proposal: Proposal(kind: .manual), startedAt: Date())
        let object = try Self.object(JSONEncoder().encode(TrialJSON(trial, study: "s")))
        #expect(validator.problems(object, schema).isEmpty, "\(validator.problems(object, schema))")
        var other = object
        other.removeValue(forKey: architecture.family.depthGroups[0].name)
        #expect(!validator.problems(other, schema).isEmpty)
    }

    @Test(arguments: ArchitectureFamilies.names)
    func everyFamilysArchitectureJSONValidatesAgainstTheDocumentsArchitectureSchema(_ name: String) throws {
        let (validator, schema) = try Self.validator()
        let family = try ArchitectureFamilies.named(name)
        for architecture in family.presets.map(\.architecture) + [try family.baseArchitecture()] {
            let canonical = try Self.object(Data(architecture.canonicalJSON.utf8))
            #expect(validator.problems(canonical, schema).isEmpty, "\(validator.problems(canonical, schema))")
            let plain = try Self.object(JSONEncoder().encode(architecture))
            #expect(validator.problems(plain, schema).isEmpty, "\(validator.problems(plain, schema))")
            // Without one of its depth groups it is no architecture of any family.
            var missing = canonical
            missing.removeValue(forKey: family.depthGroups[0].name)
            #expect(!validator.problems(missing, schema).isEmpty)
        }
    }

    @Test func aFamilyNameTheRegistryDoesNotKnowIsRefusedByTheSchema() throws {
        let (validator, schema) = try Self.validator()
        var other = try Self.object(Data(try ArchitectureFamilies.standard.baseArchitecture().canonicalJSON.utf8))
        other["family"] = "resnet"
        #expect(!validator.problems(other, schema).isEmpty)
    }

    @Test(arguments: ArchitectureFamilies.names)
    func aServedAskOfEveryFamilyValidatesAgainstTheServedDocument(_ name: String) async throws {
        try await withServer { server in
            let served = try await server.send("GET", "/openapi.json")
            let validator = SchemaSubsetValidator(document: served.json)
            let created = try await server.send("POST", "/v1/studies", body: [
                "name": "f", "budget": ["macs": 300_000_000], "trials": 3, "family": name,
            ])
            #expect(created.status == 201, "\(created.json)")
            let reply = try await server.send("POST", "/v1/studies/f/suggestions", body: ["worker": "w"])
            #expect(reply.status == 200)
            let problems = validator.problems(reply.json, ["$ref": "#/components/schemas/Suggestion"])
            #expect(problems.isEmpty, "\(problems)")
            let trial = try #require((reply.json["trials"] as? [[String: Any]])?.first)
            let architecture = try #require(trial["architecture"] as? [String: Any])
            #expect((architecture["family"] as? String ?? ArchitectureFamilies.standard.name) == name)
        }
    }
}
