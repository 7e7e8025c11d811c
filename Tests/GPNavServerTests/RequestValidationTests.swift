import Foundation
import GPNav
import Testing
@testable import GPNavServer

/// The API refuses what the command line refuses, through the same library rules, and reads
/// paths, bodies and headers in one way only.
@Suite struct RequestValidationTests {
    static func create(_ extra: [String: Any], budget: [String: Any] = ["macs": 300_000_000]) -> [String: Any] {
        ["name": "s", "budget": budget, "trials": 5].merging(extra) { _, given in given }
    }

    @Test func settingsTheCommandLineRefusesAre422() async throws {
        try await withServer { server in
            for stepFactor in [0, 1, -1, 1.5] {
                let reply = try await server.send("POST", "/v1/studies", body: Self.create(["step_factor": stepFactor]))
                #expect(reply.status == 422, "step_factor \(stepFactor): \(reply.text)")
                #expect(reply.error?.contains("step factor") == true)
            }
            let bits = try await server.send("POST", "/v1/studies",
                                             body: Self.create([:], budget: ["memory_bytes": 2_000_000, "bits": 7]))
            #expect(bits.status == 422, "\(bits.text)")
            #expect(bits.error?.contains("bits 7") == true)
            for trials in [0, 100_001, 1_000_000_000_000_000_000] {
                let reply = try await server.send("POST", "/v1/studies", body: Self.create(["trials": trials]))
                #expect(reply.status == 422, "trials \(trials): \(reply.text)")
            }
            let huge = try await server.send("POST", "/v1/studies", body: #"{"name": "s", "budget": {"macs": 300000000}, "trials": 1e18}"#)
            #expect(huge.status == 422 || huge.status == 400, "\(huge.text)")
            let negative = try await server.send("POST", "/v1/studies", body: Self.create([:], budget: ["macs": -5]))
            #expect(negative.status == 422, "\(negative.text)")
            let list = try await server.send("GET", "/v1/studies")
            #expect((list.json["studies"] as? [Any])?.isEmpty == true, "no study was made")
            #expect(try await server.createStudy().status == 201)
        }
    }

    @Test func theLibraryRefusesTheSameSettingsForEveryCaller() throws {
        let valid = StudySettings(budget: Budget(macs: 300_000_000))
        for (change, expected) in [
            ({ (s: inout StudySettings) in s.stepFactor = 1 }, StudyError.invalidStepFactor(1)),
            ({ (s: inout StudySettings) in s.stepFactor = .nan }, nil),
            ({ (s: inout StudySettings) in s.targetTrials = 100_001 }, StudyError.invalidTarget(100_001)),
            ({ (s: inout StudySettings) in s.budget = Budget(memoryBytes: 5, bits: 7) }, nil),
        ] {
            var settings = valid
            change(&settings)
            #expect(throws: StudyError.self) { try settings.validate() }
            if let expected { #expect(throws: expected) { try settings.validate() } }
        }
        #expect(throws: Never.self) { try StudySettings(budget: Budget(macs: 300_000_000), stepFactor: 0.5).validateForNewStudy() }
    }

    @Test func trialNumbersAreReadInPlainDecimalOnly() async throws {
        try await withServer { server in
            try await server.createStudy()
            _ = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
            #expect(try await server.send("POST", "/v1/studies/s/trials/0/heartbeat").status == 204)
            for number in ["+0", "00", "-0", "0x0", "%2B0", "0.0", "%200"] {
                let reply = try await server.send("POST", "/v1/studies/s/trials/\(number)/heartbeat")
                #expect(reply.status == 400, "\(number): \(reply.status) \(reply.text)")
            }
            #expect(try await server.send("GET", "/v1/studies/s/trials?limit=+1").status == 400)
            #expect(try await server.send("GET", "/v1/studies/s/trials?limit=01").status == 400)
            #expect(try await server.send("GET", "/v1/studies/s/trials?limit=1").status == 200)
        }
    }

    @Test func aKeyGivenTwiceInABodyIsRefused() async throws {
        try await withServer { server in
            try await server.createStudy()
            let claimed = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
            #expect(claimed.status == 200)
            let twice = try await server.send("POST", "/v1/studies/s/trials/0/complete",
                                              body: #"{"accuracy": 70, "accuracy": 10}"#)
            #expect(twice.status == 400)
            #expect(twice.error?.contains("duplicate key") == true, "\(twice.text)")
            let nested = try await server.send("POST", "/v1/studies/s/trials/0/complete",
                                               body: #"{"accuracy": 70, "metrics": {"loss": 1, "loss": 2}}"#)
            #expect(nested.status == 400, "\(nested.text)")
            let create = try await server.send("POST", "/v1/studies", body: #"{"name": "a", "name": "b", "budget": {"macs": 300000000}, "trials": 5}"#)
            #expect(create.status == 400, "\(create.text)")
            #expect(try await server.send("GET", "/v1/studies/s").json["running"] as? Int == 1)
        }
    }

    @Test func theBearerSchemeIsCaseInsensitiveAndTheTokenIsNot() async throws {
        try await withServer(token: "s3cret-token") { server in
            for header in ["bearer s3cret-token", "BEARER s3cret-token", "Bearer   s3cret-token"] {
                let status = try await server.send("GET", "/v1/studies", headers: ["Authorization": header]).status
                #expect(status == 200, "\(header)")
            }
            for header in ["bearer S3CRET-TOKEN", "bearers3cret-token", "Bearer", "Bearer ", "beare s3cret-token"] {
                let status = try await server.send("GET", "/v1/studies", headers: ["Authorization": header]).status
                #expect(status == 401, "\(header)")
            }
        }
    }

    @Test func anOutOfRangeIntegerIsSaidToBeOutOfRange() async throws {
        try await withServer { server in
            try await server.createStudy()
            for body in [#"{"count": 99999999999999999999}"#, #"{"count": 1e30}"#] {
                let reply = try await server.send("POST", "/v1/studies/s/suggestions", body: body)
                #expect(reply.status == 400)
                #expect(reply.error?.contains("out of range") == true, "\(body): \(reply.text)")
                #expect(reply.error?.contains("not valid JSON") == false)
            }
        }
    }

    @Test func aQueryParameterOrAnAuthorizationHeaderGivenTwiceIsRefused() async throws {
        try await withServer(token: "s3cret-token") { server in
            try await server.createStudy(token: "s3cret-token")
            for query in ["state=running&state=failed", "limit=1&limit=2", "sort=macs&sort=params", "desc=true&desc=false"] {
                let reply = try await server.send("GET", "/v1/studies/s/trials?\(query)", token: "s3cret-token")
                #expect(reply.status == 400, "\(query): \(reply.text)")
                #expect(reply.error?.contains("given more than once") == true)
            }
            let pareto = try await server.send("GET", "/v1/studies/s/pareto?objectives=accuracy:max&objectives=macs:min",
                                               token: "s3cret-token")
            #expect(pareto.status == 400)
            let twice = try #require(RawConnection(port: server.port))
            twice.send("GET /v1/studies HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret-token\r\n"
                       + "Authorization: Bearer other\r\nConnection: close\r\n\r\n")
            #expect(await twice.readUntilClosed(within: 10).text.hasPrefix("HTTP/1.1 401"))
        }
    }

    @Test func anEvaluatorDescriptionOverItsLimitIsRefused() async throws {
        try await withServer { server in
            let long = String(repeating: "e", count: StudySettings.maxEvaluatorSummaryLength + 1)
            let reply = try await server.send("POST", "/v1/studies", body: Self.create(["evaluator": long]))
            #expect(reply.status == 422, "\(reply.text.prefix(100))")
            #expect(try await server.send("POST", "/v1/studies", body: Self.create(["evaluator": "ok"])).status == 201)
        }
    }
}
