import Foundation

/// A study's latency budget: the most milliseconds one forward pass may take on a named device,
/// with a runtime and a number of CPU threads. The weights' bits come from the study's budget
/// (8 measures int8, anything else float), so that the target is known before anything is measured
/// and stored measurements of it are reused.
///
/// The latency command is not a setting: like a training command it is given to each run, so that
/// a stored study (one created over HTTP, say) never names a command that a later run executes.
public struct LatencyBudget: Sendable, Hashable, Codable {
    /// Runtimes and thread counts when nothing else is said (those of `python -m gpnav_torch.latency`).
    public static let defaultRuntime = "onnxruntime"
    public static let defaultThreads = 1
    /// The largest budget accepted: 10 minutes per forward pass is no deployment target.
    public static let maxMilliseconds = 600_000.0
    public static let threadsRange = 1...1024
    /// The longest device or runtime name, in characters.
    public static let maxNameLength = 200

    /// The most milliseconds a forward pass may take (the measured median).
    public var maxMs: Double
    /// The device's name (``LatencyTarget/device``).
    public var device: String
    public var runtime: String
    public var threads: Int

    public init(maxMs: Double, device: String, runtime: String = LatencyBudget.defaultRuntime,
                threads: Int = LatencyBudget.defaultThreads) {
        self.maxMs = maxMs
        self.device = device
        self.runtime = runtime
        self.threads = threads
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxMs = "max_ms", device, runtime, threads
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxMs = try container.decode(Double.self, forKey: .maxMs)
        device = try container.decode(String.self, forKey: .device)
        runtime = try container.decodeIfPresent(String.self, forKey: .runtime) ?? Self.defaultRuntime
        threads = try container.decodeIfPresent(Int.self, forKey: .threads) ?? Self.defaultThreads
    }

    /// The target measurements are taken on and found under, for weights of `bits`.
    public func target(bits: Int?) -> LatencyTarget {
        LatencyTarget(device: device, runtime: runtime, threads: threads, bits: bits == 8 ? 8 : LatencyTarget.floatBits)
    }

    /// Whether a measured median of `milliseconds` meets the budget.
    public func admits(milliseconds: Double) -> Bool { milliseconds <= maxMs }

    /// Checks each value: a budget in (0, ``maxMilliseconds``] ms, names that are one printable
    /// line of at most ``maxNameLength`` characters, threads in ``threadsRange``.
    /// - Throws: ``LatencyError/invalidBudget(_:)`` naming the value at fault.
    public func validate() throws(LatencyError) {
        guard maxMs.isFinite, maxMs > 0, maxMs <= Self.maxMilliseconds else {
            throw .invalidBudget("\(maxMs) ms is not a latency in (0, \(Int(Self.maxMilliseconds))] ms")
        }
        try target(bits: nil).validate()
    }

    /// The budget in words, e.g. `40 ms on pixel-8 (onnxruntime, 1 thread)`.
    public var text: String {
        "\(Self.millisecondsText(maxMs)) ms on \(device) (\(runtime), \(threads) thread\(threads == 1 ? "" : "s"))"
    }

    /// Milliseconds in their shortest form: `40`, `12.5`.
    public static func millisecondsText(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
