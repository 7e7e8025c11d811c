import Foundation
import GPNav
import Testing
@testable import GPNavServer

/// `GET /v1/studies/{name}` of a study deployed at 8 bits: its `best` is the trial with the highest
/// int8 accuracy (`accuracy_int8`), not the highest float accuracy, and comes with both.
@Suite struct EightBitBestRouteTests {
    @Test func theBestOfAnEightBitStudyIsByInt8AccuracyAndAFloatStudysByFloatAccuracy() async throws {
        try await withServer { server in
            for (name, bits) in [("q", 8), ("f", 32)] {
                let created = try await server.send("POST", "/v1/studies", body: [
                    "name": name, "budget": ["macs": 300_000_000], "trials": 3, "bits": bits,
                ])
                #expect(created.status == 201, "\(created.text)")
                // Float accuracy rises from trial to trial, int8 accuracy falls: the rankings disagree.
                var numbers: [Int] = []
                for (float, int8) in [(60.0, 59.0), (70.0, 52.0), (80.0, 41.0)] {
                    let ask = try await server.send("POST", "/v1/studies/\(name)/suggestions", body: ["worker": "w"])
                    let number = try #require((ask.json["trials"] as? [[String: Any]])?.first?["number"] as? Int)
                    let done = try await server.send("POST", "/v1/studies/\(name)/trials/\(number)/complete",
                                                     body: ["accuracy": float, "metrics": ["accuracy_int8": int8]])
                    #expect(done.status == 200, "\(done.text)")
                    numbers.append(number)
                }
                let best = try #require(try await server.send("GET", "/v1/studies/\(name)").json["best"] as? [String: Any])
                if bits == 8 {
                    #expect(best["number"] as? Int == numbers[0] && best["accuracy"] as? Double == 60, "\(best)")
                    #expect((best["metrics"] as? [String: Any])?["accuracy_int8"] as? Double == 59)
                } else {
                    #expect(best["number"] as? Int == numbers[2], "\(best)")
                }
            }
        }
    }

    // The dashboard draws an 8-bit study as `gpnav plot` does: by the int8 accuracy it ranks by.
    @Test func theDashboardDrawsAnEightBitStudyByInt8Accuracy() async throws {
        try await withServer { server in
            let created = try await server.send("POST", "/v1/studies", body: [
                "name": "q", "budget": ["macs": 300_000_000], "trials": 3, "bits": 8,
            ])
            #expect(created.status == 201, "\(created.text)")
            for (float, int8) in [(60.0, 59.0), (70.0, 52.0), (80.0, 41.0)] {
                let ask = try await server.send("POST", "/v1/studies/q/suggestions", body: ["worker": "w"])
                let number = try #require((ask.json["trials"] as? [[String: Any]])?.first?["number"] as? Int)
                _ = try await server.send("POST", "/v1/studies/q/trials/\(number)/complete",
                                          body: ["accuracy": float, "metrics": ["accuracy_int8": int8]])
            }
            let study = try #require(try await server.store.study(named: "q"))
            let ranked = try await StudySession.rankedTrials(of: study, in: server.store)
            let floats = try await server.store.trials(TrialQuery(study: "q"))
            let history = try await server.send("GET", "/dashboard/studies/q/history.svg")
            #expect(history.status == 200)
            #expect(history.text == (try StudyPlots.history(study: study, trials: ranked).render()))
            #expect(history.text != (try StudyPlots.history(study: study, trials: floats).render()))
        }
    }
}
