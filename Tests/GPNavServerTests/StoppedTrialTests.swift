import Foundation
import Testing
@testable import GPNavServer

/// A worker that stops its training (SIGINT, SIGTERM) reports the trial `abandoned: true`: the
/// same rule as an interrupted `gpnav search`, where a stopped training is not a failed one.
@Suite struct StoppedTrialTests {
    @Test func aFailureMarkedAbandonedAbandonsTheTrialAndItsArchitectureIsTrainedAgain() async throws {
        try await withServer { server in
            try await server.createStudy()
            let first = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
            let trial = try #require((first.json["trials"] as? [[String: Any]])?.first)
            let number = try #require(trial["number"] as? Int)
            let reply = try await server.send("POST", "/v1/studies/s/trials/\(number)/fail",
                                              body: ["reason": "stopped: the worker was interrupted", "abandoned": true])
            #expect(reply.status == 200, "\(reply.text.prefix(200))")
            #expect(reply.json["state"] as? String == "abandoned")
            #expect(reply.json["error"] as? String == "stopped: the worker was interrupted")
            let study = try await server.send("GET", "/v1/studies/s").json
            #expect(study["abandoned"] as? Int == 1 && study["failed"] as? Int == 0 && study["running"] as? Int == 0)
            let again = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
            let retried = try #require((again.json["trials"] as? [[String: Any]])?.first)
            #expect(retried["number"] as? Int == number + 1)
            #expect(retried["architecture"] as? NSDictionary == trial["architecture"] as? NSDictionary)
        }
    }

    @Test func aPlainFailureStillFails() async throws {
        try await withServer { server in
            try await server.createStudy()
            let first = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
            let number = try #require(((first.json["trials"] as? [[String: Any]])?.first)?["number"] as? Int)
            let reply = try await server.send("POST", "/v1/studies/s/trials/\(number)/fail",
                                              body: ["reason": "exited with status 3", "abandoned": false])
            #expect(reply.json["state"] as? String == "failed")
        }
    }
}
