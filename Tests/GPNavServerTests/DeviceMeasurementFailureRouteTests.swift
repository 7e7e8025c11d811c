import Foundation
import GPNav
import MobileViT
import Testing
@testable import GPNavServer

/// `POST /v1/devices/{name}/measurements/failures`: a measure-only worker whose latency command
/// cannot measure a wanted architecture says so, and every study waiting for it stores a failed
/// trial of it with the reason, drops it from the wanted list and never proposes it again, so the
/// study goes on instead of waiting for it for ever.
@Suite struct DeviceMeasurementFailureRouteTests {
    typealias Routes = DeviceMeasurementRouteTests
    static let reason = "latency command: exited with status 3: unsupported operator"

    static func failure(_ architecture: Any, error: String = reason) -> [String: Any] {
        ["architecture": architecture, "runtime": "onnxruntime", "threads": 1, "bits": 32, "error": error]
    }

    /// Asks `study` until a trial is handed out, measuring every wanted architecture within the
    /// budget meanwhile and checking that `never` is not wanted again; the trials handed out.
    static func askUntilHandedOut(_ server: TestServer, _ study: String, never: Architecture) async throws -> [[String: Any]] {
        for _ in 0..<20 {
            let handedOut = try await Routes.ask(server, study)
            if !handedOut.isEmpty { return handedOut }
            for wanted in try await Routes.wanted(server, device: "edge") {
                #expect(try Routes.architecture(wanted["architecture"]) != never, "a failed architecture is not wanted again")
                _ = try await server.send("POST", "/v1/devices/edge/measurements",
                                          body: Routes.measurement(wanted["architecture"] ?? [:], ms: 12))
            }
        }
        return []
    }

    @Test func aFailedMeasurementIsAFailedTrialWithTheReasonAndItsArchitectureIsNeverProposedAgain() async throws {
        try await withServer { server in
            try await Routes.createLatencyStudy(server, "lat", device: "edge")
            #expect(try await Routes.ask(server, "lat").isEmpty)
            let wanted = try #require(try await Routes.wanted(server, device: "edge").first?["architecture"])
            let failing = try Routes.architecture(wanted)
            let reply = try await server.send("POST", "/v1/devices/edge/measurements/failures", body: Self.failure(wanted))
            #expect(reply.status == 200, "\(reply.text)")
            let recorded = try #require(reply.json["failed_trials"] as? [[String: Any]])
            #expect(recorded.count == 1 && recorded.first?["study"] as? String == "lat", "\(reply.text)")
            let number = try #require(recorded.first?["trial"] as? Int)
            let trial = try #require(try await server.store.trial(study: "lat", number: number))
            #expect(trial.state == .failed && trial.architecture == failing)
            #expect(trial.error == "latency measurement on device 'edge' failed: \(Self.reason)")
            #expect(try await Routes.wanted(server, device: "edge").isEmpty, "it left the wanted list")

            // The study goes on with other proposals and hands one out once it is measured.
            let handedOut = try await Self.askUntilHandedOut(server, "lat", never: failing)
            #expect(!handedOut.isEmpty, "the study did not stall on the failed architecture")
            let trials = try await server.store.trials(TrialQuery(study: "lat"))
            #expect(trials.filter { $0.architecture == failing }.map(\.number) == [number], "never proposed again")
            #expect(try await server.store.latencyMeasurements(device: "edge").allSatisfy { $0.architecture != failing })
            // Reported again, nothing waits for it: nothing more is stored.
            let again = try await server.send("POST", "/v1/devices/edge/measurements/failures", body: Self.failure(wanted))
            #expect(again.status == 200 && (again.json["failed_trials"] as? [Any])?.isEmpty == true, "\(again.text)")
            #expect(try await server.store.trials(TrialQuery(study: "lat")).count == trials.count)
        }
    }

    @Test func aFailureOnAnotherTargetOrOfAnArchitectureNoStudyWaitsForStoresNothing() async throws {
        try await withServer { server in
            try await Routes.createLatencyStudy(server, "lat", device: "edge")
            #expect(try await Routes.ask(server, "lat").isEmpty)
            let wanted = try #require(try await Routes.wanted(server, device: "edge").first?["architecture"])
            var int8 = Self.failure(wanted)
            int8["bits"] = 8
            let other = try JSONSerialization.jsonObject(with: JSONEncoder().encode(try Architecture(resolution: 96, width: 0.25)))
            for body in [int8, Self.failure(other)] {
                let reply = try await server.send("POST", "/v1/devices/edge/measurements/failures", body: body)
                #expect(reply.status == 200 && (reply.json["failed_trials"] as? [Any])?.isEmpty == true, "\(reply.text)")
            }
            #expect(try await server.store.trials(TrialQuery(study: "lat")).isEmpty)
            #expect(try await Routes.wanted(server, device: "edge").count == 1, "still wanted")
        }
    }

    @Test func badFailureReportsUnknownDevicesAndMissingTokensAreRefusedInOneLine() async throws {
        try await withServer(token: "secret") { server in
            try await Routes.createLatencyStudy(server, "lat", device: "edge", token: "secret")
            let architecture = try Routes.someArchitecture()
            let path = "/v1/devices/edge/measurements/failures"
            #expect(try await server.send("POST", path, body: Self.failure(architecture)).status == 401)
            #expect(try await server.send("POST", path, body: Self.failure(architecture), token: "wrong").status == 401)
            let unknown = try await server.send("POST", "/v1/devices/nowhere/measurements/failures", body: Self.failure(architecture),
                                                token: "secret")
            #expect(unknown.status == 404 && unknown.error == "no study has a latency budget on device 'nowhere'")
            var cases: [(body: [String: Any], status: Int, error: String?)] = [
                (Self.failure(architecture, error: ""), 422, "invalid failed-measurement report: the error is empty"),
                (Self.failure(architecture, error: String(repeating: "x", count: 1025)), 422,
                 "invalid failed-measurement report: the error has 1025 characters, at most 1024 are kept"),
                (Self.failure(architecture, error: "two\nlines"), 422,
                 "invalid failed-measurement report: the error must be one line without control characters"),
                (Self.failure(["resolution": 7, "width": 0.75, "mv2_depths": [1, 2], "vit_depths": [2, 4, 3]]), 422,
                 "resolution 7 is invalid: it must be an even number of pixels from 32 to 1024"),
            ]
            var bits = Self.failure(architecture)
            bits["bits"] = 16
            cases.append((bits, 422, "invalid latency budget: bits 16 is not measured: 32 (float) or 8 (int8)"))
            var extra = Self.failure(architecture)
            extra["trial"] = 3
            cases.append((extra, 400, nil))
            var missing = Self.failure(architecture)
            missing["error"] = nil
            cases.append((missing, 400, nil))
            cases.append(([String: Any](), 400, nil))
            for (body, status, error) in cases {
                let reply = try await server.send("POST", path, body: body, token: "secret")
                #expect(reply.status == status, "\(body): \(reply.text)")
                if let error { #expect(reply.error == error) }
                #expect(reply.error?.contains("\n") == false)
            }
            let fine = try await server.send("POST", path, body: Self.failure(architecture), token: "secret")
            #expect(fine.status == 200, "\(fine.text)")
            #expect(try await server.store.trials(TrialQuery(study: "lat")).isEmpty, "no refused report stored a trial")
        }
    }

    /// The wanted list lives in memory; a restart loses it. What must outlive it is stored: a
    /// failed measurement's trial keeps its architecture out, and the next ask lists again what
    /// the study still wants.
    @Test func afterARestartTheFailedArchitectureStaysOutAndTheNextAskListsWhatIsStillWanted() async throws {
        let first = try await TestServer()
        do {
            try await Routes.createLatencyStudy(first, "lat", device: "edge")
            #expect(try await Routes.ask(first, "lat").isEmpty)
            let wanted = try #require(try await Routes.wanted(first, device: "edge").first?["architecture"])
            let failing = try Routes.architecture(wanted)
            let failed = try await first.send("POST", "/v1/devices/edge/measurements/failures", body: Self.failure(wanted))
            #expect((failed.json["failed_trials"] as? [Any])?.count == 1, "\(failed.text)")
            #expect(try await Routes.ask(first, "lat").isEmpty)
            let stillWanted = try #require(try await Routes.wanted(first, device: "edge").first?["architecture"])

            // A second server over the same database starts with nothing in memory, as a restarted one.
            let restarted = try await TestServer(sharingDatabaseOf: first)
            do {
                #expect(try await Routes.wanted(restarted, device: "edge").isEmpty, "nothing is listed before an ask")
                let late = try await restarted.send("POST", "/v1/devices/edge/measurements/failures", body: Self.failure(stillWanted))
                #expect((late.json["failed_trials"] as? [Any])?.isEmpty == true,
                        "a failure no study waits for now stores nothing: \(late.text)")
                #expect(try await Routes.ask(restarted, "lat").isEmpty)
                let relisted = try await Routes.wanted(restarted, device: "edge").map { try Routes.architecture($0["architecture"]) }
                #expect(relisted == [try Routes.architecture(stillWanted)], "the next ask proposes again what it still wants")
                let handedOut = try await Self.askUntilHandedOut(restarted, "lat", never: failing)
                #expect(!handedOut.isEmpty)
                let trials = try await restarted.store.trials(TrialQuery(study: "lat"))
                #expect(trials.filter { $0.architecture == failing }.count == 1, "the failed architecture was never proposed again")
            } catch {
                await restarted.stop()
                throw error
            }
            await restarted.stop()
        } catch {
            await first.stop()
            throw error
        }
        await first.stop()
    }
}
