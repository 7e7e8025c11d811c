import Foundation
import Testing
@testable import GPNav
import MobileViT

extension TrialStoreContractTests {
    static let phone = LatencyTarget(device: "pixel-8", runtime: "onnxruntime", threads: 1)

    static func measurement(_ target: LatencyTarget, resolution: Int, latencyMs: Double,
                            at seconds: TimeInterval = 1_763_683_200.125) throws -> LatencyMeasurement {
        LatencyMeasurement(target: target, architecture: try Architecture(resolution: resolution, width: 0.75),
                           latencyMs: latencyMs, spreadMs: 0.5, cpuMs: latencyMs * 0.98,
                           measuredAt: Date(timeIntervalSince1970: seconds), loadAverage: 0.25)
    }

    @Test(arguments: StoreBackend.available)
    func latencyMeasurementRoundTripsEveryFieldAndMissingOnesStayMissing(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        let full = try Self.measurement(Self.phone, resolution: 224, latencyMs: 41.25)
        var bare = try Self.measurement(Self.phone, resolution: 192, latencyMs: 30.5, at: 1_763_683_300)
        bare.cpuMs = nil
        bare.loadAverage = nil
        try await store.saveLatencyMeasurement(full)
        try await store.saveLatencyMeasurement(bare)
        #expect(try await store.latencyMeasurements(on: Self.phone) == [full, bare])
        #expect(try await store.latencyMeasurements(device: nil) == [full, bare])
    }

    @Test(arguments: StoreBackend.available)
    func measuringAnArchitectureAgainOnTheSameTargetReplacesItsMeasurement(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        try await store.saveLatencyMeasurement(try Self.measurement(Self.phone, resolution: 224, latencyMs: 41))
        let again = try Self.measurement(Self.phone, resolution: 224, latencyMs: 39.5, at: 1_763_690_000)
        try await store.saveLatencyMeasurement(again)
        #expect(try await store.latencyMeasurements(on: Self.phone) == [again])
    }

    @Test(arguments: StoreBackend.available)
    func measurementsOfAnotherDeviceRuntimeThreadCountOrBitsAreNeverReadForATarget(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        let phone = try Self.measurement(Self.phone, resolution: 224, latencyMs: 41)
        try await store.saveLatencyMeasurement(phone)
        var others: [LatencyMeasurement] = []
        for (index, target) in [
            LatencyTarget(device: "Pixel-8", runtime: "onnxruntime", threads: 1),
            LatencyTarget(device: "pixel-8", runtime: "torch", threads: 1),
            LatencyTarget(device: "pixel-8", runtime: "onnxruntime", threads: 4),
            LatencyTarget(device: "pixel-8", runtime: "onnxruntime", threads: 1, bits: 8),
        ].enumerated() {
            let other = try Self.measurement(target, resolution: 224, latencyMs: 10 + Double(index))
            others.append(other)
            try await store.saveLatencyMeasurement(other)
        }
        #expect(try await store.latencyMeasurements(on: Self.phone) == [phone])
        #expect(try await store.latencyMeasurements(device: "pixel-8").count == 4)
        #expect(try await store.latencyMeasurements(device: "Pixel-8") == [others[0]])
        #expect(try await store.latencyMeasurements(device: "iphone").isEmpty)
    }

    @Test(arguments: StoreBackend.available)
    func aLatencyThatIsNotAPositiveFiniteNumberIsRefusedAndNothingIsStored(backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        for latency in [0, -1, .nan, .infinity] {
            await #expect(throws: StoreError.self) {
                try await store.saveLatencyMeasurement(try Self.measurement(Self.phone, resolution: 224, latencyMs: latency))
            }
        }
        #expect(try await store.latencyMeasurements(device: nil).isEmpty)
    }
}
