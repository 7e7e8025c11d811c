import Foundation
import GPNav
import Testing
@testable import GPNavServer

/// Every error status of the API, each triggered by a request, each with a one-line JSON body.
@Suite struct ErrorStatusTests {
    @Test func malformedJSONAndWrongTypesAre400() async throws {
        try await withServer { server in
            let notJSON = try await server.send("POST", "/v1/studies", body: "{name: oops")
            #expect(notJSON.status == 400)
            #expect(notJSON.error?.hasPrefix("malformed request body") == true)
            let wrongType = try await server.send("POST", "/v1/studies",
                                                  body: ["name": "s", "budget": ["macs": "lots"], "trials": 5])
            #expect(wrongType.status == 400)
            #expect(wrongType.error?.contains("budget.macs") == true)
            let missing = try await server.send("POST", "/v1/studies", body: ["name": "s", "trials": 5])
            #expect(missing.status == 400)
            #expect(missing.error?.contains("budget") == true)
            try await server.createStudy()
            let count = try await server.send("POST", "/v1/studies/s/suggestions", body: ["count": 0])
            #expect(count.status == 400)
            let trialNumber = try await server.send("POST", "/v1/studies/s/trials/abc/heartbeat")
            #expect(trialNumber.status == 400)
            let state = try await server.send("GET", "/v1/studies/s/trials?state=sleeping")
            #expect(state.status == 400)
            #expect(state.error?.contains("state") == true)
        }
    }

    @Test func nanInfiniteAndOutOfRangeAccuraciesAre400AndLeaveTheTrialRunning() async throws {
        try await withServer { server in
            try await server.createStudy()
            let suggestion = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
            let trials = suggestion.json["trials"] as? [[String: Any]] ?? []
            let number = try #require(trials.first?["number"] as? Int)
            let path = "/v1/studies/s/trials/\(number)/complete"
            for body in [#"{"accuracy": NaN}"#, #"{"accuracy": 1e999}"#, #"{"accuracy": 100.5}"#, #"{"accuracy": -1}"#,
                         #"{"accuracy": "71"}"#] {
                let reply = try await server.send("POST", path, body: body)
                #expect(reply.status == 400, "\(body): \(reply.text)")
                #expect(reply.error != nil)
            }
            let trial = try await server.send("GET", "/v1/studies/s/trials?state=running")
            #expect((trial.json["trials"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func aKnownPathAskedWithAnotherMethodIs405WithAnAllowHeaderAndAJSONError() async throws {
        try await withServer { server in
            let studies = try await server.send("DELETE", "/v1/studies")
            #expect(studies.status == 405)
            #expect(studies.allow == "GET, POST")
            #expect(studies.error == "method DELETE not allowed on /v1/studies (allowed: GET, POST)")
            let suggestions = try await server.send("GET", "/v1/studies/anything/suggestions")
            #expect(suggestions.status == 405)
            #expect(suggestions.allow == "POST")
            #expect(suggestions.contentType == "application/json")
            #expect(try await server.send("PUT", "/healthz").allow == "GET")
            #expect(try await server.send("DELETE", "/v1/studies/s/trials/1").status == 404, "no route has this path")
        }
    }

    @Test func paretoWithUnknownObjectivesIs400NamingTheValidOnes() async throws {
        try await withServer { server in
            try await server.createStudy()
            let malformed = try await server.send("GET", "/v1/studies/s/pareto?objectives=nonsense")
            #expect(malformed.status == 400)
            #expect(malformed.error == "bad parameter 'objectives': objective 'nonsense' must be NAME:max or NAME:min, "
                    + "e.g. accuracy:max or macs:min")
            let unknown = try await server.send("GET", "/v1/studies/s/pareto?objectives=nonsense:max")
            #expect(unknown.status == 400)
            #expect(unknown.error == "bad parameter 'objectives': unknown objective 'nonsense': the trials have accuracy, macs, params")
        }
    }

    @Test func unknownStudyTrialAndRouteAre404() async throws {
        try await withServer { server in
            #expect(try await server.send("GET", "/v1/studies/nope").status == 404)
            #expect(try await server.send("POST", "/v1/studies/nope/suggestions", body: [:] as [String: Int]).status == 404)
            try await server.createStudy()
            let trial = try await server.send("POST", "/v1/studies/s/trials/99/heartbeat")
            #expect(trial.status == 404)
            #expect(trial.error != nil)
            let route = try await server.send("GET", "/v2/whatever")
            #expect(route.status == 404)
            #expect(route.error == "no route GET /v2/whatever")
        }
    }

    @Test func conflictsAre409() async throws {
        try await withServer { server in
            let created = try await server.createStudy(trials: 10)
            #expect(created.status == 201, "\(created.text)")
            let again = try await server.createStudy(trials: 10)
            #expect(again.status == 200, "\(again.text)")
            let differs = try await server.createStudy(trials: 12)
            #expect(differs.status == 409)
            #expect(differs.error != nil)
            let suggestion = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
            let number = try #require((suggestion.json["trials"] as? [[String: Any]])?.first?["number"] as? Int)
            let result = ["accuracy": 70.25, "metrics": ["loss": 1.5]] as [String: Any]
            #expect(try await server.send("POST", "/v1/studies/s/trials/\(number)/complete", body: result).status == 200)
            // The same result again is accepted; a different one is refused.
            #expect(try await server.send("POST", "/v1/studies/s/trials/\(number)/complete", body: result).status == 200)
            let other = try await server.send("POST", "/v1/studies/s/trials/\(number)/complete", body: ["accuracy": 71.0])
            #expect(other.status == 409)
            #expect(try await server.send("POST", "/v1/studies/s/trials/\(number)/heartbeat").status == 409)
            // A study made by `gpnav evaluate` or `gpnav import` has no budget to propose within.
            _ = try await StudySession.openForRecording(store: server.store, name: "evaluations", seed: 0,
                                                        evaluatorSummary: "manual", leaseSeconds: 60)
            #expect(try await server.send("POST", "/v1/studies/evaluations/suggestions").status == 409)
            let trials = try await server.send("GET", "/v1/studies/s/trials?state=complete")
            let stored = try #require((trials.json["trials"] as? [[String: Any]])?.first)
            #expect(stored["accuracy"] as? Double == 70.25)
        }
    }

    @Test func bodiesOverOneMiBAre413() async throws {
        try await withServer { server in
            let big = "{\"name\": \"" + String(repeating: "x", count: ServerLimits.maxBodyBytes + 10) + "\"}"
            let reply = try await server.send("POST", "/v1/studies", body: big)
            #expect(reply.status == 413)
            #expect(reply.error?.contains("over") == true)
            #expect(try await server.send("GET", "/healthz").status == 200)
        }
    }

    @Test func impossibleBudgetsAndSpacesAre422() async throws {
        try await withServer { server in
            let tiny = try await server.send("POST", "/v1/studies",
                                             body: ["name": "tiny", "budget": ["macs": 1000], "trials": 5])
            #expect(tiny.status == 422, "\(tiny.text)")
            let none = try await server.send("POST", "/v1/studies", body: ["name": "none", "budget": [:] as [String: Int], "trials": 5])
            #expect(none.status == 422, "\(none.text)")
            let space = try await server.send("POST", "/v1/studies", body: [
                "name": "space", "budget": ["macs": 300_000_000], "trials": 5,
                "space": ["resolutions": [256, 128], "widths": [1.0], "mv2_depth_multipliers": [1.0],
                          "vit_depth_multipliers": [1.0], "classes": 1000],
            ])
            #expect(space.status == 422, "\(space.text)")
            #expect(try await server.send("GET", "/v1/studies/tiny").status == 404)
            let name = try await server.send("POST", "/v1/studies",
                                             body: ["name": "bell\u{7}", "budget": ["macs": 300_000_000], "trials": 5])
            #expect(name.status == 422, "\(name.text)")
        }
    }

    @Test func aTargetBelowOneTrialIs422FromTheLibrarysRule() async throws {
        try await withServer { server in
            for trials in [0, -3] {
                let reply = try await server.send("POST", "/v1/studies",
                                                  body: ["name": "few", "budget": ["macs": 300_000_000], "trials": trials])
                #expect(reply.status == 422, "\(reply.text)")
                #expect(reply.error?.contains("outside 1...") == true, "\(reply.text)")
            }
            #expect(try await server.send("GET", "/v1/studies/few").status == 404)
        }
    }
}
