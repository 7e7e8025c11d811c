import Foundation
import GPNav
import MobileViT
import Testing

/// `gpnav latency list|fit|predict|measure` end to end.
@Suite("gpnav latency")
struct LatencyToolCommandTests {
    /// 0.3 ms plus 10 ms per G MACs: a combination of the latency model's terms, so it fits exactly.
    static func latency(of architecture: Architecture) -> Double {
        0.3 + 1e-8 * Double(CostModel.cost(of: architecture).macs)
    }

    /// 14 measurements on `edge` and 14 (50 times slower) on `phone`.
    static func seeded(_ fixture: CLIFixture) throws {
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readWrite(createIfMissing: true))
        for index in 0..<14 {
            let architecture = try Architecture(resolution: 96 + 32 * (index % 7), width: 0.5 + 0.25 * Double(index / 7))
            for (device, scale) in [("edge", 1.0), ("phone", 50.0)] {
                try store.saveLatencyMeasurement(LatencyMeasurement(
                    target: LatencyTarget(device: device, runtime: "onnxruntime", threads: 1), architecture: architecture,
                    latencyMs: scale * latency(of: architecture), spreadMs: 0.01, cpuMs: 1, measuredAt: CLIFixture.epoch,
                    loadAverage: 0.5))
            }
        }
    }

    @Test func listShowsOneDevicesMeasurementsAndFitReportsTheHeldOutShareWithinTenPercent() async throws {
        let fixture = try CLIFixture()
        try Self.seeded(fixture)
        let list = try await fixture.runner.run(["latency", "list", "--device", "edge", "--format", "json"])
        #expect(list.status == 0, "\(list.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 14)
        #expect(rows.allSatisfy { $0["device"] as? String == "edge" && $0["latency_ms"] is Double && $0["macs"] is Int })

        let fit = try await fixture.runner.run(["latency", "fit", "--device", "edge"])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stdout.contains("14 of 14 architectures within +/-10 % (100.0 %)"), "\(fit.stdout)")
        let json = try await fixture.runner.run(["latency", "fit", "--device", "phone", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["measurements"] as? Int == 14)
        #expect(report["device"] as? String == "phone")
        let constant = try #require((report["coefficients"] as? [String: Double])?["constant"])
        #expect(abs(constant - 15) < 1e-6, "the phone's own measurements, 50 times the edge's 0.3 ms")
    }

    @Test func predictLabelsItsAnswerAPredictionAndShowsTheMeasurementBesideIt() async throws {
        let fixture = try CLIFixture()
        try Self.seeded(fixture)
        let unseen = try await fixture.runner.run(["latency", "predict", "--device", "edge", "--resolution", "160", "--width", "1.5",
                                             "--format", "json"])
        #expect(unseen.status == 0, "\(unseen.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(unseen.stdout.utf8)) as? [String: Any])
        #expect(report["kind"] as? String == "prediction")
        #expect(report["measured_latency_ms"] is NSNull)
        let expected = Self.latency(of: try Architecture(resolution: 160, width: 1.5))
        #expect(abs(try #require(report["predicted_latency_ms"] as? Double) - expected) / expected < 1e-6)
        let measured = try await fixture.runner.run(["latency", "predict", "--device", "edge", "--resolution", "96", "--width", "0.5"])
        #expect(measured.stdout.contains("predicted") && measured.stdout.contains("not a measurement"))
        #expect(measured.stdout.contains("measured: "))
    }

    @Test func measureStoresTheCommandsMeasurementForTheDevice() async throws {
        let fixture = try CLIFixture()
        let script = fixture.file("latency.sh")
        try "echo '{\"latency_ms\": 12.5, \"latency_spread_ms\": 0.2, \"runtime\": \"onnxruntime\", \"threads\": 1}'\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        let measure = try await fixture.runner.run(["latency", "measure", "--device", "edge", "--resolution", "224", "--width", "0.75",
                                              "--latency-command", "sh \(script) {config}"])
        #expect(measure.status == 0, "\(measure.stderr)")
        #expect(measure.stdout.contains("measured 12.500 ms"))
        let list = try await fixture.runner.run(["latency", "list", "--format", "csv"])
        #expect(list.stdout.split(separator: "\n").count == 2)
        #expect(list.stdout.contains("edge,onnxruntime,1,32,mobilevitv2,\"r224 w0.75"))
    }

    @Test func fittingWithTooFewMeasurementsIsOneLineSayingHowManyAreNeeded() async throws {
        let fixture = try CLIFixture()
        try Self.seeded(fixture)
        let result = try await fixture.runner.run(["latency", "fit", "--device", "edge", "--threads", "4"])
        #expect(result.status != 0)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("0 mobilevitv2 measurements on edge (onnxruntime, 4 threads, float32); a latency model needs at least"))
    }

    @Test func paretoTakesLatencyAsAnObjectiveOverMeasuredTrialsOnly() async throws {
        let fixture = try CLIFixture()
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readWrite(createIfMissing: true))
        let study = try store.createStudy(CLIFixture.study("lat")).id ?? -1
        // (resolution, accuracy, measured latency): 192 is dominated by 160 (slower and less
        // accurate); 256 has no measurement, so it is on no latency front, however accurate.
        for (resolution, accuracy, latency) in [(128, 60.0, 5.0), (160, 66.0, 7.0), (192, 65.0, 9.0), (224, 70.0, 12.0),
                                                (256, 90.0, nil)] as [(Int, Double, Double?)] {
            _ = try store.insertTrial(try CLIFixture.trial(study, .complete, resolution: resolution, width: 0.5, macs: resolution * 1000,
                                                           params: 1000, accuracy: accuracy,
                                                           metrics: latency.map { ["latency_ms": $0] } ?? [:]), claimKey: nil)
        }
        let result = try await fixture.runner.run(["pareto", "--study", "lat", "--objectives", "accuracy:max,latency:min", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(rows.compactMap { $0["resolution"] as? Int } == [224, 160, 128])
    }
}
