import Foundation
import GPNav
import MobileViT
import Synchronization
import Testing
@testable import GPNavServer

/// A measure-only worker judges its readings by the rule `gpnav search --latency` follows
/// (``LatencyBudget/judgedMeasurement(reading:)``): a reading that only the study's margin
/// refuses is read again, up to three readings, and what the server stores is their combined
/// measurement. The latency command is a script that prints scripted readings, one per run.
@Suite struct MeasureLoopRepeatedReadingTests {
    /// A latency command that prints line n of `readings` on its n-th run (`fail`, or no line
    /// left, exits 3 with "scripted failure n" on stderr), and the file that counts its runs.
    static func scriptedCommand(_ readings: [String], in directory: String) throws -> (LatencyCommand, count: String) {
        let (script, lines, count) = (directory + "/latency.sh", directory + "/readings", directory + "/runs")
        try (readings.joined(separator: "\n") + "\n").write(toFile: lines, atomically: true, encoding: .utf8)
        try """
            n=$(( $(cat '\(count)' 2>/dev/null || echo 0) + 1 )); echo $n > '\(count)'
            line=$(sed -n "${n}p" '\(lines)')
            if [ -z "$line" ] || [ "$line" = fail ]; then echo "scripted failure $n" >&2; exit 3; fi
            echo "$line"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let command = LatencyCommand(commandTemplate: "sh \(script) {config}", timeout: .seconds(30),
                                     configDirectory: URL(fileURLWithPath: directory + "/configs"))
        return (command, count)
    }

    static func reading(_ ms: Double, spread: Double) -> String {
        "{\"latency_ms\": \(ms), \"latency_spread_ms\": \(spread), \"runtime\": \"onnxruntime\", \"threads\": 1}"
    }

    /// Serves study `lat` under a 40 ms budget (margin 1 spread) on device `edge`, lets it propose
    /// (an ask), and runs a measure-only worker with `readings` until `done` holds for its events
    /// (then it is stopped) or it stored one measurement, and hands `check` the server, the first
    /// architecture the study waited for, the worker's events and the number of times the command ran.
    static func measure(_ readings: [String], until done: @escaping @Sendable ([MeasureEvent]) -> Bool,
                        _ check: (TestServer, Architecture, [MeasureEvent], Int) async throws -> Void) async throws {
        try await withServer { server in
            try await DeviceMeasurementRouteTests.createLatencyStudy(server, "lat", device: "edge", maxMs: 40)
            #expect(try await DeviceMeasurementRouteTests.ask(server, "lat").isEmpty, "nothing is measured yet")
            let wanted = try #require(try await DeviceMeasurementRouteTests.wanted(server, device: "edge").first)
            #expect(wanted["max_ms"] as? Double == 40 && wanted["admission_spreads"] as? Double == 1, "\(wanted)")
            let first = try DeviceMeasurementRouteTests.architecture(wanted["architecture"])
            let (command, count) = try scriptedCommand(readings, in: server.directory)
            let loop = MeasureLoop(client: ServiceClient(server: try ServerURL(server.baseURL.absoluteString), token: nil),
                                   device: "edge", meter: command, maxMeasurements: 1, pollSeconds: 0.05)
            let events = Mutex<[MeasureEvent]>([])
            let ended = Mutex(false)
            let task = Task {
                defer { ended.withLock { $0 = true } }
                return try await loop.run { event in events.withLock { $0.append(event) } }
            }
            let deadline = ContinuousClock.now + .seconds(30)
            while !done(events.withLock { $0 }), !ended.withLock({ $0 }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            task.cancel()
            _ = try await task.value
            let runs = Int((try String(contentsOfFile: count, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            try await check(server, first, events.withLock { $0 }, runs)
        }
    }

    static func stored(_ server: TestServer, _ architecture: Architecture) async throws -> LatencyMeasurement? {
        try await server.store.latencyMeasurements(on: LatencyTarget(device: "edge", runtime: "onnxruntime", threads: 1))
            .first { $0.architecture == architecture }
    }

    @Test func aReadingRefusedByTheMarginAloneIsReadAgainAndAdmittedOnTheMedian() async throws {
        // 39.5 + 0.8 > 40; the median of 39.5 and 38.9 is 39.2, the spread max(0.8 x sqrt(3/4), 0.6) = 0.693: 39.89 <= 40.
        let readings = [Self.reading(39.5, spread: 0.8), Self.reading(38.9, spread: 0.8), Self.reading(20, spread: 0.1)]
        try await Self.measure(readings, until: { $0.contains { if case .measured = $0 { true } else { false } } }) {
            server, architecture, events, runs in
            #expect(runs == 2, "admitted after two readings: no third")
            let measurement = try #require(try await Self.stored(server, architecture))
            #expect(abs(measurement.latencyMs - 39.2) < 1e-9, "the stored measurement is the readings' median")
            #expect(abs(measurement.spreadMs - 0.8 * 0.75.squareRoot()) < 1e-9)
            #expect(LatencyBudget(maxMs: 40, device: "edge").admits(measurement))
            #expect(events.contains { if case .measured(_, _, _, 2) = $0 { true } else { false } }, "\(events)")
        }
    }

    @Test func atMostThreeReadingsAreTakenAndTheirCombinedMeasurementIsStored() async throws {
        // Readings that disagree: the median of three is 39.5, the spread their range 1.6: 41.1 > 40, refused.
        let readings = [Self.reading(39.5, spread: 0.8), Self.reading(38, spread: 0.8), Self.reading(39.6, spread: 0.8),
                        Self.reading(39.4, spread: 0.8)]
        try await Self.measure(readings, until: { $0.contains { if case .measured = $0 { true } else { false } } }) {
            server, architecture, _, runs in
            #expect(runs == LatencyBudget.maxReadings)
            let measurement = try #require(try await Self.stored(server, architecture))
            #expect(measurement.latencyMs == 39.5)
            #expect(abs(measurement.spreadMs - 1.6) < 1e-9)
            #expect(!LatencyBudget(maxMs: 40, device: "edge").admits(measurement), "refused, as the search refuses it")
        }
    }

    @Test func aFailingSecondReadingIsAFailedTrialWhoseErrorSaysSo() async throws {
        let readings = [Self.reading(39.5, spread: 0.8), "fail"]
        try await Self.measure(readings, until: { $0.contains { if case .measurementFailed = $0 { true } else { false } } }) {
            server, architecture, _, runs in
            #expect(runs == 2)
            #expect(try await Self.stored(server, architecture) == nil, "nothing is stored for it")
            let trials = try server.store.trials(TrialQuery(study: "lat"))
            let failed = try #require(trials.first { $0.architecture == architecture })
            #expect(failed.state == .failed)
            #expect(failed.error == "latency measurement on device 'edge' failed: reading 2 of at most 3 failed (the readings "
                    + "before it, median 39.5 ms, were within the 40 ms budget by less than the margin): latency command: "
                    + "exited with status 3: scripted failure 2", "\(failed.error ?? "")")
        }
    }
}
