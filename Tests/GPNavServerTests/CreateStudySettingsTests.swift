import Foundation
import GPNav
import MobileViT
import Testing
@testable import GPNavServer

/// `POST /v1/studies` decodes its body into ``StudySettings`` and the Study API checks them: a
/// setting the library refuses is a 422 in the library's own words (the command line prints the
/// same words, `StudySettingsRulesTests`), and a body that is no settings is a 400 naming the key.
@Suite struct CreateStudySettingsTests {
    /// One rule: the body's settings, the same as ``StudySettings``, and the error the library gives.
    struct Rule: CustomTestStringConvertible, Sendable {
        var label: String
        var body: [String: any Sendable]
        var settings: StudySettings
        var testDescription: String { label }

        /// The library's refusal of ``settings``, in words.
        func expected() throws -> String {
            do {
                try settings.validateForNewStudy()
            } catch let error as CustomStringConvertible {
                return error.description
            }
            throw ExpectedARefusal()
        }
        struct ExpectedARefusal: Error {}
    }

    static let budget = Budget(macs: 300_000_000)
    static let v1Start = MobileViTv1Family().presets[0].architecture

    static let rules: [Rule] = [
        Rule(label: "trials 0", body: ["budget": ["macs": 300_000_000], "trials": 0],
             settings: StudySettings(budget: budget, targetTrials: 0)),
        Rule(label: "trials 100001", body: ["budget": ["macs": 300_000_000], "trials": 100_001],
             settings: StudySettings(budget: budget, targetTrials: 100_001)),
        Rule(label: "step factor 1.5", body: ["budget": ["macs": 300_000_000], "step_factor": 1.5],
             settings: StudySettings(budget: budget, stepFactor: 1.5)),
        Rule(label: "step factor 0", body: ["budget": ["macs": 300_000_000], "step_factor": 0],
             settings: StudySettings(budget: budget, stepFactor: 0)),
        Rule(label: "no budget", body: ["budget": [String: Int]()], settings: StudySettings()),
        Rule(label: "budget below the space", body: ["budget": ["macs": 1_000_000]],
             settings: StudySettings(budget: Budget(macs: 1_000_000))),
        Rule(label: "start of another family", body: ["budget": ["macs": 300_000_000], "start": "v1"],
             settings: StudySettings(budget: budget, start: v1Start)),
        Rule(label: "bits 7", body: ["budget": ["memory_bytes": 2_000_000, "bits": 7]],
             settings: StudySettings(budget: Budget(memoryBytes: 2_000_000, bits: 7))),
        Rule(label: "pruning at bits 8", body: ["budget": ["macs": 300_000_000], "epochs": 9, "prune": true, "bits": 8],
             settings: {
                 var settings = StudySettings(budget: budget, epochs: 9, prune: true)
                 settings.deploymentBits = 8
                 return settings
             }()),
    ]

    @Test(arguments: rules)
    func aSettingTheLibraryRefusesIs422InTheLibrarysWords(_ rule: Rule) async throws {
        var body: [String: Any] = ["name": "s", "trials": StudySettings.defaultTargetTrials]
        for (key, value) in rule.body { body[key] = value }
        if body["start"] != nil {
            body["start"] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.v1Start))
        }
        let expected = try rule.expected()
        try await withServer { server in
            let reply = try await server.send("POST", "/v1/studies", body: body)
            #expect(reply.status == 422, "\(reply.text)")
            #expect(reply.error == expected)
            #expect((try await server.send("GET", "/v1/studies").json["studies"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aKeyThatIsNoSettingOrAValueOfTheWrongTypeIs400NamingIt() async throws {
        try await withServer { server in
            for (body, named) in [
                (#"{"name": "s", "budget": {"macs": 300000000}, "trials": 5, "trails": 5}"#, "'trails'"),
                (#"{"name": "s", "budget": {"macs": 300000000, "mac": 5}, "trials": 5}"#, "'budget.mac'"),
                (#"{"name": "s", "budget": {"macs": 300000000}, "trials": 5, "seed": "7"}"#, "'seed'"),
                (#"{"name": "s", "budget": {"macs": 300000000}, "trials": 5, "joint_factors": "no"}"#, "'joint_factors'"),
                (#"{"budget": {"macs": 300000000}, "trials": 5}"#, "'name'"),
                (#"{"name": "s", "trials": 5}"#, "'budget'"),
            ] {
                let reply = try await server.send("POST", "/v1/studies", body: body)
                #expect(reply.status == 400, "\(body): \(reply.text)")
                #expect(reply.error?.contains(named) == true, "\(body): \(reply.text)")
            }
        }
    }

    @Test func aFamilyThatDiffersFromTheSpaceIs422() async throws {
        let space = try JSONSerialization.jsonObject(with: JSONEncoder().encode(SearchSpace.default))
        try await withServer { server in
            let reply = try await server.send("POST", "/v1/studies", body: [
                "name": "s", "budget": ["macs": 300_000_000], "trials": 5, "family": "mobilevit", "space": space,
            ])
            #expect(reply.status == 422)
            #expect(reply.error == StudyError.familyDiffersFromSpace(family: "mobilevit", spaceFamily: "mobilevitv2").description)
        }
    }

    @Test func theStudyKeepsEverySettingGivenAndShowsThem() async throws {
        try await withServer { server in
            let created = try await server.send("POST", "/v1/studies", body: [
                "name": "s", "budget": ["macs": 300_000_000], "trials": 7, "seed": 9, "step_factor": 0.7,
                "joint_factors": false, "evaluator": "a GPU farm",
            ])
            #expect(created.status == 201, "\(created.text)")
            let settings = try #require(created.json["settings"] as? [String: Any])
            #expect(settings["step_factor"] as? Double == 0.7 && settings["joint_factors"] as? Bool == false)
            #expect(settings["trials"] as? Int == 7 && settings["seed"] as? Int == 9)
            #expect(created.json["evaluator"] as? String == "a GPU farm")
            // The same again opens it; another step factor is a conflict naming it.
            let again = try await server.send("POST", "/v1/studies", body: [
                "name": "s", "budget": ["macs": 300_000_000], "trials": 7, "seed": 9, "step_factor": 0.7,
                "joint_factors": false,
            ])
            #expect(again.status == 200, "\(again.text)")
            let other = try await server.send("POST", "/v1/studies", body: [
                "name": "s", "budget": ["macs": 300_000_000], "trials": 7, "seed": 9, "step_factor": 0.6,
                "joint_factors": false,
            ])
            #expect(other.status == 409)
            #expect(other.error?.contains("step factor: stored 0.7, given 0.6") == true, "\(other.text)")
        }
    }
}
