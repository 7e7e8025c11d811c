import Foundation
import MobileViT

/// Where and how a latency is measured: the device, the runtime, its CPU threads and the bits the
/// weights are deployed at. Measurements are kept and found under it with the architecture, so that
/// a study on one device never reads another device's (or another runtime's) numbers.
public struct LatencyTarget: Sendable, Hashable, Codable {
    /// The bits of a float model (measured unquantised).
    public static let floatBits = 32
    /// The device's name as the user calls it (a host name, "pixel-8"); compared exactly.
    public var device: String
    /// The inference runtime, as the latency command reports it (`onnxruntime`, `torch`).
    public var runtime: String
    /// CPU threads the runtime was given.
    public var threads: Int
    /// Weight precision measured: 32 (float) or 8 (int8).
    public var bits: Int

    /// The precision a latency command names for ``bits``: `int8` for 8, `float32` otherwise.
    public var precision: String { bits == 8 ? "int8" : "float32" }

    public init(device: String, runtime: String, threads: Int, bits: Int = LatencyTarget.floatBits) {
        self.device = device
        self.runtime = runtime
        self.threads = threads
        self.bits = bits
    }

    /// Checks the target as a latency budget's (``LatencyBudget/validate()``): device and runtime
    /// names of 1 to ``LatencyBudget/maxNameLength`` printable characters, threads in
    /// ``LatencyBudget/threadsRange``, and bits 32 (float) or 8 (int8), the precisions measured.
    /// - Throws: ``LatencyError/invalidBudget(_:)`` naming the value at fault.
    public func validate() throws(LatencyError) {
        for (what, name) in [("device name", device), ("runtime", runtime)] {
            let scalars = name.unicodeScalars
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty, scalars.count <= LatencyBudget.maxNameLength,
                  !scalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw .invalidBudget("the \(what) must be 1 to \(LatencyBudget.maxNameLength) printable characters")
            }
        }
        let range = LatencyBudget.threadsRange
        guard range.contains(threads) else {
            throw .invalidBudget("threads \(threads) is not in \(range.lowerBound)...\(range.upperBound)")
        }
        guard bits == LatencyTarget.floatBits || bits == 8 else {
            throw .invalidBudget("bits \(bits) is not measured: 32 (float) or 8 (int8)")
        }
    }
}

/// One architecture's measured latency on a ``LatencyTarget``: the median of many timed runs and
/// their spread, with the CPU time and the machine's load when it was taken.
public struct LatencyMeasurement: Sendable, Hashable {
    public var target: LatencyTarget
    public var architecture: Architecture
    /// Median wall time of one forward pass, in milliseconds.
    public var latencyMs: Double
    /// Spread of the timed runs (the interquartile range), in milliseconds.
    public var spreadMs: Double
    /// Median CPU time of one forward pass, in milliseconds, when the command reports it.
    public var cpuMs: Double?
    public var measuredAt: Date
    /// The 1-minute load average while measuring, when the command reports it.
    public var loadAverage: Double?

    public init(target: LatencyTarget, architecture: Architecture, latencyMs: Double, spreadMs: Double,
                cpuMs: Double? = nil, measuredAt: Date, loadAverage: Double? = nil) {
        self.target = target
        self.architecture = architecture
        self.latencyMs = latencyMs
        self.spreadMs = spreadMs
        self.cpuMs = cpuMs
        self.measuredAt = measuredAt
        self.loadAverage = loadAverage
    }
}
