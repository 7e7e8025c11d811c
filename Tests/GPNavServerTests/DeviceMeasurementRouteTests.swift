import Foundation
import GPNav
import MobileViT
import Testing
@testable import GPNavServer

/// A latency study served to remote workers: its training asks get only architectures measured
/// within budget on its device, `GET /v1/devices/{name}/measurements/wanted` lists what it waits
/// for, and `POST /v1/devices/{name}/measurements` stores a measure-only worker's reading.
@Suite struct DeviceMeasurementRouteTests {
    static func createLatencyStudy(_ server: TestServer, _ name: String, device: String, maxMs: Double = 40,
                                   token: String? = nil) async throws {
        let reply = try await server.send("POST", "/v1/studies", body: [
            "name": name, "budget": ["macs": 300_000_000], "trials": 3, "latency": ["max_ms": maxMs, "device": device],
        ], token: token)
        #expect(reply.status == 201, "\(reply.text)")
    }

    /// An architecture of the default family, as a JSON object.
    static func someArchitecture() throws -> Any {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(try Architecture(resolution: 224, width: 0.75)))
    }

    static func wanted(_ server: TestServer, device: String) async throws -> [[String: Any]] {
        let reply = try await server.send("GET", "/v1/devices/\(device)/measurements/wanted")
        #expect(reply.status == 200, "\(reply.text)")
        return reply.json["wanted"] as? [[String: Any]] ?? []
    }

    static func measurement(_ architecture: Any, ms: Double, runtime: String = "onnxruntime") -> [String: Any] {
        ["architecture": architecture, "runtime": "onnxruntime", "threads": 1, "bits": 32,
         "reading": ["latency_ms": ms, "latency_spread_ms": 0.1, "runtime": runtime, "threads": 1, "precision": "float32"]]
    }

    static func architecture(_ json: Any?) throws -> Architecture {
        try JSONDecoder().decode(Architecture.self, from: JSONSerialization.data(withJSONObject: json ?? [:]))
    }

    static func ask(_ server: TestServer, _ study: String) async throws -> [[String: Any]] {
        let reply = try await server.send("POST", "/v1/studies/\(study)/suggestions", body: ["worker": "w"])
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json["done"] as? Bool == false)
        return reply.json["trials"] as? [[String: Any]] ?? []
    }

    @Test func aTrainingAskWaitsForTheMeasurementAndNeverGetsAnArchitectureMeasuredOverBudget() async throws {
        try await withServer { server in
            try await Self.createLatencyStudy(server, "lat", device: "edge")
            #expect(try await Self.ask(server, "lat").isEmpty, "nothing is measured yet")
            let first = try #require(try await Self.wanted(server, device: "edge").first)
            #expect(first["study"] as? String == "lat" && first["runtime"] as? String == "onnxruntime")
            #expect(first["threads"] as? Int == 1 && first["bits"] as? Int == 32 && first["macs"] is Int)
            let overBudget = try #require(first["architecture"])
            let stored = try await server.send("POST", "/v1/devices/edge/measurements", body: Self.measurement(overBudget, ms: 90))
            #expect(stored.status == 204, "\(stored.text)")
            // Every later proposal is measured within budget, until one is handed out.
            var handedOut: [[String: Any]] = []
            for _ in 0..<20 where handedOut.isEmpty {
                handedOut = try await Self.ask(server, "lat")
                for wanted in try await Self.wanted(server, device: "edge") {
                    #expect(try Self.architecture(wanted["architecture"]) != Self.architecture(overBudget),
                            "a measured architecture is not wanted again")
                    _ = try await server.send("POST", "/v1/devices/edge/measurements",
                                              body: Self.measurement(wanted["architecture"] ?? [:], ms: 12))
                }
            }
            let trial = try #require(handedOut.first)
            let architecture = try Self.architecture(trial["architecture"])
            let measured = try await server.store.latencyMeasurements(on: LatencyTarget(device: "edge", runtime: "onnxruntime", threads: 1))
            let latency = try #require(measured.first { $0.architecture == architecture }?.latencyMs)
            #expect(latency <= 40)
            let over = try Self.architecture(overBudget)
            #expect(architecture != over)
            #expect(try await server.store.trials(TrialQuery(study: "lat")).allSatisfy { $0.architecture != over })
        }
    }

    @Test func aStudyOnDeviceANeverUsesDeviceBsMeasurements() async throws {
        try await withServer { server in
            try await Self.createLatencyStudy(server, "on-a", device: "a")
            try await Self.createLatencyStudy(server, "on-b", device: "b")
            #expect(try await Self.ask(server, "on-a").isEmpty)
            let wanted = try #require(try await Self.wanted(server, device: "a").first?["architecture"])
            let onB = try await server.send("POST", "/v1/devices/b/measurements", body: Self.measurement(wanted, ms: 5))
            #expect(onB.status == 204, "\(onB.text)")
            #expect(try await Self.ask(server, "on-a").isEmpty, "b's measurement is not a's")
            #expect(try await Self.wanted(server, device: "a").count == 1)
            _ = try await server.send("POST", "/v1/devices/a/measurements", body: Self.measurement(wanted, ms: 5))
            #expect(try await Self.ask(server, "on-a").count == 1)
            #expect(try await Self.wanted(server, device: "a").isEmpty)
        }
    }

    @Test func badMeasurementBodiesAndUnknownDevicesAreRefusedInOneLine() async throws {
        try await withServer { server in
            try await Self.createLatencyStudy(server, "lat", device: "edge")
            let architecture = try JSONSerialization.jsonObject(with: JSONEncoder().encode(try Architecture(resolution: 224, width: 0.75)))
            for (device, status) in [("nowhere", 404), ("edge", 204)] {
                let reply = try await server.send("POST", "/v1/devices/\(device)/measurements", body: Self.measurement(architecture, ms: 9))
                #expect(reply.status == status, "\(reply.text)")
            }
            let unknown = try await server.send("GET", "/v1/devices/nowhere/measurements/wanted")
            #expect(unknown.status == 404 && unknown.error == "no study has a latency budget on device 'nowhere'")
            var cases: [(body: [String: Any], status: Int, error: String?)] = []
            var zero = Self.measurement(architecture, ms: 0)
            cases.append((zero, 422, "latency command: \"latency_ms\" is not a number of milliseconds above 0"))
            zero["reading"] = ["latency_ms": 3, "latency_spread_ms": -1]
            cases.append((zero, 422, "latency command: \"latency_spread_ms\" is missing or not a number of milliseconds of at least 0"))
            cases.append((Self.measurement(architecture, ms: 3, runtime: "torch"), 422,
                          "latency command measured another target than the study's: runtime torch, the study's is onnxruntime"))
            var bits = Self.measurement(architecture, ms: 3)
            bits["bits"] = 16
            cases.append((bits, 422, "invalid latency budget: bits 16 is not measured: 32 (float) or 8 (int8)"))
            var threads = Self.measurement(architecture, ms: 3)
            threads["threads"] = 0
            cases.append((threads, 422, "invalid latency budget: threads 0 is not in 1...1024"))
            var extra = Self.measurement(architecture, ms: 3)
            extra["trial"] = 3
            cases.append((extra, 400, nil))
            var noReading = Self.measurement(architecture, ms: 3)
            noReading["reading"] = nil
            cases.append((noReading, 400, nil))
            cases.append((Self.measurement(["resolution": 7, "width": 0.75, "mv2_depths": [1, 2], "vit_depths": [2, 4, 3]], ms: 3), 422,
                          "resolution 7 is invalid: it must be an even number of pixels from 32 to 1024"))
            for (body, status, error) in cases {
                let reply = try await server.send("POST", "/v1/devices/edge/measurements", body: body)
                #expect(reply.status == status, "\(body): \(reply.text)")
                if let error { #expect(reply.error == error) }
                #expect(reply.error?.contains("\n") == false)
            }
            let stored = try await server.store.latencyMeasurements(on: LatencyTarget(device: "edge", runtime: "onnxruntime", threads: 1))
            #expect(stored.count == 1 && stored.first?.latencyMs == 9, "only the valid one is stored")
        }
    }

    @Test func bothRoutesNeedTheTokenWhenTheServerHasOne() async throws {
        try await withServer(token: "secret") { server in
            try await Self.createLatencyStudy(server, "lat", device: "edge", token: "secret")
            let architecture = try Self.someArchitecture()
            #expect(try await server.send("GET", "/v1/devices/edge/measurements/wanted").status == 401)
            #expect(try await server.send("POST", "/v1/devices/edge/measurements", body: Self.measurement(architecture, ms: 9)).status == 401)
            #expect(try await server.send("POST", "/v1/devices/edge/measurements", body: Self.measurement(architecture, ms: 9),
                                          token: "wrong").status == 401)
            #expect(try await server.send("GET", "/v1/devices/edge/measurements/wanted", token: "secret").status == 200)
            #expect(try await server.send("POST", "/v1/devices/edge/measurements", body: Self.measurement(architecture, ms: 9),
                                          token: "secret").status == 204)
        }
    }
}
