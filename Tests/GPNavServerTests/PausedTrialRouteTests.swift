import Foundation
import GPNav
import Testing
@testable import GPNavServer

/// Freeze-thaw through the service: a worker that says it can continue a training (`resumes` on
/// its ask, `resumable` on its reports) has its rung stops stored as pauses and may be handed a
/// paused trial to continue (`resumed_after_epoch`); any other worker sees the service as before.
@Suite struct PausedTrialRouteTests {
    /// Three architectures in all: once two are trained and one is paused, continuing it is the
    /// only training left, whatever the study's model thinks of new candidates.
    static var space: [String: Any] {
        ["resolutions": [64], "widths": [0.25], "mv2_depth_multipliers": [1.0],
         "vit_depth_multipliers": [0.5, 1.0, 1.5], "classes": 10]
    }
    static let epochs = 9

    /// The accuracy after `epoch` of a training that ends at `final`.
    static func accuracy(_ final: Double, epoch: Int) -> Double { final * (1 - 0.5 * exp(-Double(epoch) / 2)) }

    /// Creates study `p` (9 epochs, prune on, ``space``), trains two of its trials in full (70 and
    /// 71 %), and reports the third's curve to `final` (`resumable` when asked) until the study
    /// stops it; returns the third's number and the epoch it stopped after.
    static func stopThird(_ server: TestServer, final: Double, resumable: Bool) async throws -> (number: Int, epoch: Int) {
        let created = try await server.send("POST", "/v1/studies", body: [
            "name": "p", "budget": ["macs": 300_000_000], "trials": 8, "epochs": epochs, "prune": true, "space": space,
        ])
        try #require(created.status == 201, "\(created.error ?? "")")
        let suggested = try await server.send("POST", "/v1/studies/p/suggestions", body: ["worker": "w", "count": 3])
        let numbers = try #require((suggested.json["trials"] as? [[String: Any]])?.compactMap { $0["number"] as? Int })
        try #require(numbers.count == 3)
        for (number, final) in zip(numbers.prefix(2), [70.0, 71.0]) {
            for epoch in 1...epochs {
                _ = try await server.send("POST", "/v1/studies/p/trials/\(number)/reports",
                                          body: ["epoch": epoch, "accuracy": accuracy(final, epoch: epoch)])
            }
            try #require(try await server.send("POST", "/v1/studies/p/trials/\(number)/complete", body: ["accuracy": final]).status == 200)
        }
        for epoch in 1...epochs {
            var body: [String: Any] = ["epoch": epoch, "accuracy": accuracy(final, epoch: epoch)]
            if resumable { body["resumable"] = true }
            let reply = try await server.send("POST", "/v1/studies/p/trials/\(numbers[2])/reports", body: body)
            try #require(reply.status == 200, "\(reply.error ?? "")")
            if reply.json["prune"] as? Bool == true { return (numbers[2], epoch) }
        }
        throw ServerTestFailure("the study never stopped trial \(numbers[2])")
    }

    /// Trial `number` of study `p` as the API lists it.
    static func trial(_ server: TestServer, _ number: Int) async throws -> [String: Any] {
        let listed = try await server.send("GET", "/v1/studies/p/trials")
        return try #require((listed.json["trials"] as? [[String: Any]])?.first { $0["number"] as? Int == number })
    }

    @Test func aPausedTrialIsHandedOnlyToAnAskThatResumesAndGoesOnAsTheSameTrialWithOneCurve() async throws {
        try await withServer { server in
            // Stopped at the first rung: a stop that can be undone is a pause.
            let (number, pausedAfter) = try await Self.stopThird(server, final: 72, resumable: true)
            #expect(pausedAfter == 1)
            let paused = try await Self.trial(server, number)
            #expect(paused["state"] as? String == "pruned")
            // Promising or not by the rungs' model (which leans on its two neighbours here), the stop can be undone.
            let reason = paused["error"] as? String ?? ""
            #expect(reason.hasPrefix("paused after epoch 1 of 9") || reason.hasPrefix("pruned after epoch 1 of 9"), "\(reason)")
            #expect((paused["metrics"] as? [String: Any])?[PruningVerdict.resumableMetric] as? Double == 1)
            // An old worker's body, and one that says it does not resume, get nothing to continue.
            for body: [String: Any] in [["worker": "old"], ["worker": "other", "resumes": false]] {
                let asked = try await server.send("POST", "/v1/studies/p/suggestions", body: body)
                #expect(asked.status == 200, "\(asked.error ?? "")")
                #expect((asked.json["trials"] as? [[String: Any]])?.isEmpty == true, "\(asked.text)")
            }
            #expect(try await Self.trial(server, number)["state"] as? String == "pruned")

            var continuedAfter = [pausedAfter]
            var epoch = pausedAfter
            while epoch < Self.epochs {
                let asked = try await server.send("POST", "/v1/studies/p/suggestions", body: ["worker": "r", "resumes": true])
                let trials = try #require(asked.json["trials"] as? [[String: Any]], "\(asked.text)")
                try #require(trials.count == 1, "\(asked.text)")
                #expect(trials[0]["number"] as? Int == number)
                #expect(trials[0]["resumed_after_epoch"] as? Int == epoch)
                // Reported from where it stopped, until the next pause or the end.
                while epoch < Self.epochs {
                    epoch += 1
                    let reply = try await server.send("POST", "/v1/studies/p/trials/\(number)/reports", body: [
                        "epoch": epoch, "accuracy": Self.accuracy(72, epoch: epoch), "resumable": true,
                    ])
                    if reply.json["prune"] as? Bool == true, epoch < Self.epochs {
                        continuedAfter.append(epoch)
                        break
                    }
                }
            }
            // Paused at each rung it reached (1 and 3 of 9), continued after each.
            #expect(continuedAfter == [1, 3])
            let told = try await server.send("POST", "/v1/studies/p/trials/\(number)/complete", body: ["accuracy": 72.0])
            #expect(told.status == 200, "\(told.error ?? "")")
            #expect(told.json["state"] as? String == "complete")
            let id = try #require(try server.store.trial(study: "p", number: number)?.id)
            let curve = try #require(try server.store.learningCurves(study: "p")[id])
            #expect(curve.map(\.epoch) == Array(1...Self.epochs), "one curve, each epoch once")
            let study = try await server.send("GET", "/v1/studies/p")
            #expect(study.json["epochs_spent"] as? Int == 3 * Self.epochs)
            #expect((try await server.send("GET", "/v1/studies/p/trials").json["trials"] as? [Any])?.count == 3, "no new trial")
        }
    }

    @Test func aStopOfATrainingThatCannotBeContinuedIsFinalEvenForAnAskThatResumes() async throws {
        try await withServer { server in
            let (number, _) = try await Self.stopThird(server, final: 12, resumable: false)
            let pruned = try await Self.trial(server, number)
            #expect(pruned["state"] as? String == "pruned")
            #expect((pruned["error"] as? String)?.hasPrefix("pruned after epoch") == true, "\(pruned)")
            #expect((pruned["metrics"] as? [String: Any])?[PruningVerdict.resumableMetric] as? Double == 0)
            let asked = try await server.send("POST", "/v1/studies/p/suggestions", body: ["worker": "r", "resumes": true])
            #expect(asked.status == 200)
            #expect((asked.json["trials"] as? [[String: Any]])?.isEmpty == true, "\(asked.text)")
            #expect(try await Self.trial(server, number)["state"] as? String == "pruned")
        }
    }

    @Test func theNewKeysAreOptionalAndAnythingButABooleanIsRefused() async throws {
        try await withServer { server in
            let created = try await server.send("POST", "/v1/studies", body: [
                "name": "p", "budget": ["macs": 300_000_000], "trials": 8, "epochs": Self.epochs, "prune": true,
            ])
            #expect(created.status == 201, "\(created.error ?? "")")
            for bad in [#"{"resumes": "yes"}"#, #"{"resumes": 1}"#, #"{"worker": "w", "resumes": [true]}"#] {
                let refused = try await server.send("POST", "/v1/studies/p/suggestions", body: bad)
                #expect(refused.status == 400, "\(bad): \(refused.status) \(refused.text)")
                #expect(refused.error != nil)
            }
            let asked = try await server.send("POST", "/v1/studies/p/suggestions", body: #"{"worker": "w", "resumes": null}"#)
            #expect(asked.status == 200, "\(asked.error ?? "")")
            let trial = try #require((asked.json["trials"] as? [[String: Any]])?.first)
            #expect(trial["resumed_after_epoch"] == nil, "a new training says nothing of resuming")
            let number = try #require(trial["number"] as? Int)
            let path = "/v1/studies/p/trials/\(number)/reports"
            for bad in [#"{"epoch": 1, "accuracy": 10, "resumable": "true"}"#, #"{"epoch": 1, "accuracy": 10, "resumable": 1}"#] {
                let refused = try await server.send("POST", path, body: bad)
                #expect(refused.status == 400, "\(bad): \(refused.status) \(refused.text)")
            }
            #expect(try server.store.learningCurves(study: "p").isEmpty, "a refused report stores nothing")
            let old = try await server.send("POST", path, body: ["epoch": 1, "accuracy": 10])
            #expect(old.status == 200 && old.json["prune"] as? Bool == false, "\(old.text)")
            let new = try await server.send("POST", path, body: ["epoch": 2, "accuracy": 20, "resumable": false])
            #expect(new.status == 200 && new.json["prune"] as? Bool == false, "\(new.text)")
        }
    }
}

/// A test's own failure, with what went wrong.
struct ServerTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
