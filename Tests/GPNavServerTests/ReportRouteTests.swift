import Foundation
import GPNav
import Testing
@testable import GPNavServer

@Suite struct ReportRouteTests {
    @Test func aRunningTrialsReportsAreStoredAnsweredAndCountedInTheStudysEpochs() async throws {
        try await withServer { server in
            let created = try await server.send("POST", "/v1/studies", body: [
                "name": "s", "budget": ["macs": 300_000_000], "trials": 3, "epochs": 4,
            ])
            #expect(created.status == 201, "\(created.error ?? "")")
            #expect((created.json["settings"] as? [String: Any])?["epochs"] as? Int == 4)
            let suggested = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
            let trial = try #require((suggested.json["trials"] as? [[String: Any]])?.first)
            #expect((trial["config"] as? [String: Any])?["epochs"] as? Int == 4)
            let number = try #require(trial["number"] as? Int)
            let path = "/v1/studies/s/trials/\(number)/reports"
            for (epoch, accuracy) in [(1, 20.5), (2, 40.0)] {
                let reply = try await server.send("POST", path, body: ["epoch": epoch, "accuracy": accuracy])
                #expect(reply.status == 200, "\(reply.error ?? "")")
                #expect(reply.json["prune"] as? Bool == false)
            }
            let beyond = try await server.send("POST", path, body: ["epoch": 5, "accuracy": 50])
            #expect(beyond.status == 400)
            #expect(beyond.error?.contains("epoch 5 is beyond the study's training length of 4 epochs") == true)
            #expect(try await server.send("POST", path, body: #"{"epoch": 1.5, "accuracy": 3}"#).status == 400)
            #expect(try await server.send("POST", path, body: ["epoch": 3, "accuracy": 101]).status == 400)
            #expect(try await server.send("POST", "/v1/studies/s/trials/77/reports", body: ["epoch": 1, "accuracy": 1]).status == 404)
            let running = try await server.send("GET", "/v1/studies/s")
            #expect(running.json["epochs_spent"] as? Int == 2)
            let told = try await server.send("POST", "/v1/studies/s/trials/\(number)/complete", body: ["accuracy": 55.0])
            #expect(told.status == 200)
            let study = try await server.send("GET", "/v1/studies/s")
            #expect(study.json["epochs_spent"] as? Int == 2)
            // The first trial trained is the chain's in-budget end: the best, found after its 2 epochs.
            #expect(study.json["epochs_at_best"] as? Int == 2)
            let curves = try await server.store.learningCurves(study: "s")
            #expect(curves.values.first == [EpochReport(epoch: 1, accuracy: 20.5), EpochReport(epoch: 2, accuracy: 40)])
        }
    }
}
