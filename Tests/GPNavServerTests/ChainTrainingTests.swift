import Foundation
import GPNav
import Testing

/// A served study trains at most one model above its budget, as a local search does.
@Suite struct ChainTrainingTests {
    @Test func aServedStudyTrainsAtMostOneModelAboveItsBudget() async throws {
        try await withServer { server in
            #expect(try await server.createStudy(trials: 8).status == 201)
            for _ in 0..<12 {
                let reply = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
                if reply.json["done"] as? Bool == true { break }
                let trial = try #require((reply.json["trials"] as? [[String: Any]])?.first)
                let number = try #require(trial["number"] as? Int), macs = try #require(trial["macs"] as? Int)
                let told = try await server.send("POST", "/v1/studies/s/trials/\(number)/complete",
                                                 body: ["accuracy": 40.0 + Double(macs) / 10_000_000])
                #expect(told.status == 200)
            }
            let trials = try server.store.trials(TrialQuery(study: "s"))
            #expect(trials.filter { $0.state == .complete }.count == 8)
            #expect(trials.filter { $0.macs > 300_000_000 }.count == 1)
        }
    }
}
