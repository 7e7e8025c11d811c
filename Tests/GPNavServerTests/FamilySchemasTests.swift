import Foundation
import GPNav
import MobileViT
import Testing
@testable import GPNavServer

/// The OpenAPI document's `Architecture` schema accepts every registered family's architectures,
/// as the server writes them and as clients send them, and a served ask of any family.
@Suite struct ArchitectureSchemaTests {
    private static func validator() throws -> (SchemaSubsetValidator, [String: Any]) {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        return (SchemaSubsetValidator(document: document), try #require(schemas["Architecture"] as? [String: Any]))
    }

    private static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func theDocumentsArchitectureSchemaIsTheOneTheFamilyRegistryDeclares() throws {
        let document = try Self.object(OpenAPIDocument.data)
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let inFile = try #require(schemas?["Architecture"] as? [String: Any])
        let declared = try Self.object(Data(ArchitectureSchema.json.utf8))
        #expect(NSDictionary(dictionary: inFile).isEqual(to: declared),
                "openapi.json's Architecture schema differs from the families' declaration; replace it with: \(ArchitectureSchema.json)")
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
