import Foundation
import GPNav
import Testing
@testable import GPNavServer
import TestScratch

@Suite struct RouteTests {
    @Test func openAPIDocumentListsExactlyTheServedOperations() async throws {
        let store = try SQLiteTrialStore(path: try TestScratch.path("openapi", suffix: ".sqlite"),
                                         access: .readWrite(createIfMissing: true))
        let router = try GPNavService(configuration: ServerConfiguration(port: 0), store: store).makeRouter()
        let served = Set(router.routes.filter { !DashboardRoutes.isDashboardRoute($0.path.description) }
            .map { "\($0.method.rawValue) \($0.path.description)" })
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(served == documented)
        #expect(served.count == 16)
    }

    @Test func suggestionsCarryTheConfigAndAWorkerGetsItsOwnRunningTrialFirst() async throws {
        try await withServer(leaseSeconds: 30) { server in
            #expect(try await server.createStudy(trials: 5).status == 201)
            let first = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "gpu-1", "count": 1])
            #expect(first.status == 200)
            #expect(first.json["done"] as? Bool == false)
            let trial = try #require((first.json["trials"] as? [[String: Any]])?.first)
            #expect(trial["lease_seconds"] as? Double == 30)
            let config = try #require(trial["config"] as? [String: Any])
            #expect(config["macs"] as? Int == trial["macs"] as? Int)
            #expect(config["trial"] as? Int == trial["number"] as? Int)
            #expect(config["study"] as? String == "s")
            #expect((trial["architecture"] as? [String: Any])?["resolution"] as? Int != nil)
            let again = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "gpu-1"])
            #expect((again.json["trials"] as? [[String: Any]])?.first?["number"] as? Int == trial["number"] as? Int)
            let other = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "gpu-2"])
            #expect((other.json["trials"] as? [[String: Any]])?.first?["number"] as? Int != trial["number"] as? Int)
            let study = try await server.send("GET", "/v1/studies/s")
            #expect(study.json["running"] as? Int == 2)
            #expect(study.json["target_trials"] as? Int == 5)
            #expect(study.json["best"] is NSNull)
        }
    }

    @Test func aStudyRunToItsTargetReportsDoneWithABestTrial() async throws {
        try await withServer { server in
            try await server.createStudy(trials: 3)
            var told = 0
            while told < 10 {
                let reply = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
                if reply.json["done"] as? Bool == true { break }
                let number = try #require((reply.json["trials"] as? [[String: Any]])?.first?["number"] as? Int)
                let done = try await server.send("POST", "/v1/studies/s/trials/\(number)/complete",
                                                 body: ["accuracy": 60.0 + Double(number)])
                #expect(done.status == 200)
                #expect(done.json["state"] as? String == "complete")
                told += 1
            }
            #expect(told == 3)
            let final = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
            #expect(final.json["done"] as? Bool == true)
            #expect((final.json["trials"] as? [Any])?.isEmpty == true)
            let list = try await server.send("GET", "/v1/studies")
            let study = try #require((list.json["studies"] as? [[String: Any]])?.first)
            #expect(study["complete"] as? Int == 3)
            #expect(study["name"] as? String == "s")
        }
    }

    @Test func trialsAndParetoSpeakJSONAndTheCSVOfTheCommandLine() async throws {
        try await withServer { server in
            try await server.createStudy(trials: 2)
            for accuracy in [65.0, 66.5] {
                let reply = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
                let number = try #require((reply.json["trials"] as? [[String: Any]])?.first?["number"] as? Int)
                _ = try await server.send("POST", "/v1/studies/s/trials/\(number)/complete", body: ["accuracy": accuracy])
            }
            let json = try await server.send("GET", "/v1/studies/s/trials?sort=accuracy&desc=true&limit=1")
            let trials = try #require(json.json["trials"] as? [[String: Any]])
            #expect(trials.count == 1)
            #expect(trials.first?["accuracy"] as? Double == 66.5)
            let csv = try await server.send("GET", "/v1/studies/s/trials", headers: ["Accept": "text/csv"])
            #expect(csv.contentType?.hasPrefix("text/csv") == true)
            #expect(csv.text.hasPrefix(TrialExport.columns.joined(separator: ",")))
            #expect(csv.text.split(separator: "\n").count == 3)
            let pareto = try await server.send("GET", "/v1/studies/s/pareto")
            #expect(pareto.text.hasPrefix("number,study,state"))
            let paretoJSON = try await server.send("GET", "/v1/studies/s/pareto?objectives=accuracy:max",
                                                   headers: ["Accept": "application/json"])
            #expect((paretoJSON.json["trials"] as? [[String: Any]])?.first?["accuracy"] as? Double == 66.5)
            #expect(try await server.send("GET", "/v1/studies/s/pareto?objectives=accuracy:up").status == 400)
        }
    }

    @Test func metricsCountAsksTellsAndTrialsByState() async throws {
        try await withServer { server in
            try await server.createStudy(trials: 4)
            let reply = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
            let number = try #require((reply.json["trials"] as? [[String: Any]])?.first?["number"] as? Int)
            _ = try await server.send("POST", "/v1/studies/s/trials/\(number)/heartbeat")
            _ = try await server.send("POST", "/v1/studies/s/trials/\(number)/complete", body: ["accuracy": 65.0])
            let metrics = try await server.send("GET", "/metrics")
            #expect(metrics.contentType?.hasPrefix("text/plain") == true)
            let lines = Set(metrics.text.split(separator: "\n").map(String.init))
            #expect(lines.contains("gpnav_asks_total 1"))
            #expect(lines.contains("gpnav_tells_total 1"))
            #expect(lines.contains("gpnav_heartbeats_total 1"))
            #expect(lines.contains("gpnav_ask_latency_seconds_count 1"))
            #expect(lines.contains(#"gpnav_ask_latency_seconds_bucket{le="+Inf"} 1"#))
            #expect(lines.contains(#"gpnav_trials{state="complete",study="s"} 1"#))
            #expect(lines.contains("# TYPE gpnav_abandoned_trials_total counter"))
        }
    }

    @Test func theReaperAbandonsTrialsWhoseHeartbeatIsOlderThanTheLease() async throws {
        try await withServer(leaseSeconds: 1) { server in
            try await server.createStudy(trials: 5)
            let reply = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "silent"])
            let number = try #require((reply.json["trials"] as? [[String: Any]])?.first?["number"] as? Int)
            try await Task.sleep(for: .seconds(2.5))
            let trials = try await server.send("GET", "/v1/studies/s/trials?state=abandoned")
            let abandoned = try #require((trials.json["trials"] as? [[String: Any]])?.first)
            #expect(abandoned["number"] as? Int == number)
            #expect(abandoned["state"] as? String == "abandoned")
            let study = try await server.send("GET", "/v1/studies/s")
            #expect(study.json["abandoned"] as? Int == 1 && study.json["failed"] as? Int == 0)
            #expect(try await server.send("POST", "/v1/studies/s/trials/\(number)/heartbeat").status == 409)
            let metrics = try await server.send("GET", "/metrics")
            #expect(metrics.text.contains("gpnav_abandoned_trials_total 1\n"))
        }
    }

    @Test func studyNamesArePercentDecodedFromThePath() async throws {
        try await withServer { server in
            #expect(try await server.createStudy("a b/c", trials: 2).status == 201)
            let study = try await server.send("GET", "/v1/studies/a%20b%2Fc")
            #expect(study.status == 200)
            #expect(study.json["name"] as? String == "a b/c")
            let suggestion = try await server.send("POST", "/v1/studies/a%20b%2Fc/suggestions", body: ["worker": "w"])
            #expect((suggestion.json["trials"] as? [[String: Any]])?.first?["study"] as? String == "a b/c")
        }
    }
}
