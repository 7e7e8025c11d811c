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

    @Test func aStudyThatPrunesAnswersPruneForAHopelessCurveAndKeepsTheTrialPruned() async throws {
        try await withServer { server in
            let refused = try await server.send("POST", "/v1/studies", body: [
                "name": "no-length", "budget": ["macs": 300_000_000], "trials": 3, "prune": true,
            ])
            #expect(refused.status == 422)
            #expect(refused.error?.contains("training length") == true)
            let created = try await server.send("POST", "/v1/studies", body: [
                "name": "p", "budget": ["macs": 300_000_000], "trials": 8, "epochs": 9, "prune": true,
            ])
            #expect(created.status == 201, "\(created.error ?? "")")
            #expect((created.json["settings"] as? [String: Any])?["prune"] as? Bool == true)
            let suggested = try await server.send("POST", "/v1/studies/p/suggestions", body: ["worker": "w", "count": 3])
            let numbers = try #require((suggested.json["trials"] as? [[String: Any]])?.compactMap { $0["number"] as? Int })
            try #require(numbers.count == 3)
            for (number, final) in zip(numbers.prefix(2), [70.0, 71.0]) {
                for epoch in 1...9 {
                    let reply = try await server.send("POST", "/v1/studies/p/trials/\(number)/reports", body: [
                        "epoch": epoch, "accuracy": final * (1 - 0.5 * exp(-Double(epoch) / 2)),
                    ])
                    #expect(reply.json["prune"] as? Bool == false)
                }
                #expect(try await server.send("POST", "/v1/studies/p/trials/\(number)/complete", body: ["accuracy": final]).status == 200)
            }
            var answers: [Bool] = []
            for epoch in 1...9 {
                let reply = try await server.send("POST", "/v1/studies/p/trials/\(numbers[2])/reports",
                                                  body: ["epoch": epoch, "accuracy": 12.0])
                #expect(reply.status == 200, "\(reply.error ?? "")")
                answers.append(reply.json["prune"] as? Bool ?? false)
                if answers.last == true { break }
            }
            #expect(answers.last == true && answers.count < 9)
            let pruned = try await server.send("GET", "/v1/studies/p/trials?state=pruned")
            let trials = try #require(pruned.json["trials"] as? [[String: Any]])
            #expect(trials.map { $0["number"] as? Int } == [numbers[2]])
            #expect(try await server.send("GET", "/v1/studies/p").json["pruned"] as? Int == 1)
            // The worker's result after the stop is refused: the trial stays pruned.
            #expect(try await server.send("POST", "/v1/studies/p/trials/\(numbers[2])/complete", body: ["accuracy": 12.0]).status == 409)
        }
    }
}
