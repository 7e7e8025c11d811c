import Foundation
import GPNav
import Testing
@testable import GPNavServer

/// The study views added to the dashboard's pictures: factor relevance, a front of any two
/// objectives and learning curves, each the library's own computation.
@Suite struct DashboardStudyViewsTests {
    @Test func relevanceIsWhatGpnavAnalyzeComputes() async throws {
        try await withServer { server in
            try await server.createStudy(trials: 5)
            try await complete(server, accuracies: [60, 62.5, 61, 63])
            let reply = try await server.send("GET", "/dashboard/studies/s/relevance.json")
            #expect(reply.status == 200)
            #expect(reply.contentType == "application/json")
            let study = try #require(try await server.store.study(named: "s"))
            let analysis = try FactorAnalysis.analyze(study: study, trials: try await server.store.trials(TrialQuery(study: "s")))
            let factors = try #require(reply.json["factors"] as? [[String: Any]])
            let shares = Dictionary(uniqueKeysWithValues: factors.map { ($0["name"] as? String ?? "", $0["share"] as? Double ?? -1) })
            // Equal but for the last bit that a JSON round trip of a double may change.
            let expected = Dictionary(uniqueKeysWithValues: analysis.mainShares.map { ($0.factors[0], $0.share) })
            #expect(Set(shares.keys) == Set(expected.keys))
            #expect(expected.allSatisfy { name, share in abs((shares[name] ?? -1) - share) <= 1e-12 })
            #expect(factors.map { $0["share"] as? Double ?? 0 } == factors.map { $0["share"] as? Double ?? 0 }.sorted(by: >))
            #expect(reply.json["statements"] as? [String] == analysis.statements)
            #expect(reply.json["complete_trials"] as? Int == 4)
        }
    }

    @Test func relevanceOfTooFewTrialsIsAOneLineError() async throws {
        try await withServer { server in
            try await server.createStudy(trials: 5)
            try await complete(server, accuracies: [60, 62.5])
            let reply = try await server.send("GET", "/dashboard/studies/s/relevance.json")
            #expect(reply.status == 400)
            #expect(reply.error?.contains("2 complete") == true, "\(reply.text)")
        }
    }

    @Test func paretoOfTwoChosenObjectivesIsTheLibrarysFront() async throws {
        try await withServer { server in
            try await server.createStudy(trials: 5)
            try await complete(server, accuracies: [60, 62.5, 61])
            let study = try #require(try await server.store.study(named: "s"))
            let trials = try await server.store.trials(TrialQuery(study: "s"))
            let front = try await server.send("GET", "/dashboard/studies/s/pareto.svg?x=params&y=accuracy")
            #expect(front.status == 200)
            #expect(front.text == (try StudyPlots.front(study: study, trials: trials, curves: [:], x: .params, y: .accuracy).render()))
            // Without a choice, the picture of `gpnav plot pareto`.
            let plain = try await server.send("GET", "/dashboard/studies/s/pareto.svg")
            #expect(plain.text == (try StudyPlots.pareto(study: study, trials: trials).render()))

            let unknown = try await server.send("GET", "/dashboard/studies/s/pareto.svg?x=speed")
            #expect(unknown.status == 400)
            #expect(unknown.error == "bad parameter 'x': use one of accuracy, macs, params, epochs, latency")
            #expect(try await server.send("GET", "/dashboard/studies/s/pareto.svg?x=accuracy").status == 400)
            let latency = try await server.send("GET", "/dashboard/studies/s/pareto.svg?x=latency&y=accuracy")
            #expect(latency.status == 400)
            #expect(latency.error == "no complete trial of study 's' has a measured latency")
        }
    }

    @Test func learningCurvesIncludeRunningTrialsAndAreDrawnAgainWhileTheyRun() async throws {
        try await withServer { server in
            let created = try await server.send("POST", "/v1/studies", body: [
                "name": "s", "budget": ["macs": 300_000_000], "trials": 3, "epochs": 4,
            ])
            #expect(created.status == 201)
            let number = try await claim(server)
            let report = try await server.send("POST", "/v1/studies/s/trials/\(number)/reports", body: ["epoch": 1, "accuracy": 41.5])
            #expect(report.status == 200, "\(report.text)")
            let curves = try await server.send("GET", "/dashboard/studies/s/curves.svg")
            #expect(curves.status == 200, "\(curves.text)")
            let study = try #require(try await server.store.study(named: "s"))
            let expected = try StudyPlots.curves(study: study, trials: try await server.store.trials(TrialQuery(study: "s")),
                                                 curves: try await server.store.learningCurves(study: "s"))
            #expect(curves.text == expected.render())
            #expect(curves.text.contains("trial-\(number)"))

            // The version of a picture of progress moves with time while a trial runs, and only then.
            let snapshot = try await DashboardSnapshot.read(from: server.store)
            let running = try #require(snapshot.study(named: "s"))
            let period = DashboardRoutes.runningRedrawSeconds
            let now = Date(timeIntervalSince1970: 1_000_000 * period)
            let version = { (picture: DashboardPicture, state: DashboardSnapshot.StudyState, at: Date) in
                DashboardRoutes.version(of: picture, study: state, at: at)
            }
            #expect(version(.curves, running, now) == version(.curves, running, now.addingTimeInterval(period / 2)))
            #expect(version(.curves, running, now) != version(.curves, running, now.addingTimeInterval(period)))
            #expect(version(.history, running, now) == version(.history, running, now.addingTimeInterval(period)))
            var finished = running
            finished.running = []
            #expect(version(.curves, finished, now) == version(.curves, finished, now.addingTimeInterval(period)))
        }
    }

    // MARK: Helpers

    private func claim(_ server: TestServer) async throws -> Int {
        let reply = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "gpu-1"])
        return try #require((reply.json["trials"] as? [[String: Any]])?.first?["number"] as? Int)
    }

    private func complete(_ server: TestServer, accuracies: [Double]) async throws {
        for accuracy in accuracies {
            let number = try await claim(server)
            _ = try await server.send("POST", "/v1/studies/s/trials/\(number)/complete", body: ["accuracy": accuracy])
        }
    }
}
