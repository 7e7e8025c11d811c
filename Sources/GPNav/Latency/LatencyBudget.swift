import Foundation

/// A study's latency budget: the most milliseconds one forward pass may take on a named device,
/// with a runtime and a number of CPU threads. The weights' bits come from the study's budget
/// (8 measures int8, anything else float), so that the target is known before anything is measured
/// and stored measurements of it are reused.
///
/// A measurement is admitted when its median plus ``admissionSpreads`` times its spread is within
/// the budget (``admits(_:)``), so that what is trained still meets the budget when measured again.
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
    /// The admission margin when nothing else is said, in spreads (interquartile ranges) of the
    /// reading. One: on this project's reference CPU (Experiments/latency/RESULTS.md) a fresh
    /// re-measurement of a trained architecture differed from the reading it was admitted on by
    /// less than that reading's interquartile range for 19 of 21 (the differences 0.3 to 9.4 % of
    /// the median, the ranges 2.4 to 13.8 %), and a margin of two ranges would cost the search a
    /// tenth or more of its budget. A reading's own spread is used, not one margin for all,
    /// because the noise differs by an order of magnitude between architectures and loads.
    public static let defaultAdmissionSpreads = 1.0
    public static let admissionSpreadsRange = 0.0...10.0

    /// The most milliseconds a forward pass may take (the measured median).
    public var maxMs: Double
    /// The device's name (``LatencyTarget/device``).
    public var device: String
    public var runtime: String
    public var threads: Int
    /// k: a reading is admitted when median + k x spread <= ``maxMs`` (0 admits on the median alone).
    public var admissionSpreads: Double

    public init(maxMs: Double, device: String, runtime: String = LatencyBudget.defaultRuntime,
                threads: Int = LatencyBudget.defaultThreads,
                admissionSpreads: Double = LatencyBudget.defaultAdmissionSpreads) {
        self.maxMs = maxMs
        self.device = device
        self.runtime = runtime
        self.threads = threads
        self.admissionSpreads = admissionSpreads
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxMs = "max_ms", device, runtime, threads, admissionSpreads = "admission_spreads"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxMs = try container.decode(Double.self, forKey: .maxMs)
        device = try container.decode(String.self, forKey: .device)
        runtime = try container.decodeIfPresent(String.self, forKey: .runtime) ?? Self.defaultRuntime
        threads = try container.decodeIfPresent(Int.self, forKey: .threads) ?? Self.defaultThreads
        // A study stored before the margin existed reads with today's default.
        admissionSpreads = try container.decodeIfPresent(Double.self, forKey: .admissionSpreads) ?? Self.defaultAdmissionSpreads
    }

    /// The target measurements are taken on and found under, for weights of `bits`.
    public func target(bits: Int?) -> LatencyTarget {
        LatencyTarget(device: device, runtime: runtime, threads: threads, bits: bits == 8 ? 8 : LatencyTarget.floatBits)
    }

    /// Whether a reading of median `latencyMs` and spread `spreadMs` is admitted: median +
    /// ``admissionSpreads`` x spread <= ``maxMs``. A reading within the budget but inside the margin
    /// is refused: a second measurement of it could well be over.
    public func admits(latencyMs: Double, spreadMs: Double) -> Bool {
        latencyMs + admissionSpreads * spreadMs <= maxMs
    }

    /// Whether `measurement` is admitted (``admits(latencyMs:spreadMs:)``).
    public func admits(_ measurement: LatencyMeasurement) -> Bool {
        admits(latencyMs: measurement.latencyMs, spreadMs: measurement.spreadMs)
    }

    /// The most readings taken of one architecture before it is trained or refused.
    public static let maxReadings = 3

    /// Whether `measurement`, made of `readings` readings (``LatencyMeasurement/repeated(_:_:)``), is
    /// read again rather than refused: it is not admitted, but its median is within the budget (only
    /// the margin keeps it out), and fewer than ``maxReadings`` were taken. Such a candidate is near
    /// the limit, where the best architecture lies, and a repeated reading narrows the margin it needs.
    public func readsAgain(_ measurement: LatencyMeasurement, readings: Int) -> Bool {
        !admits(measurement) && measurement.latencyMs <= maxMs && readings < Self.maxReadings
    }

    /// Checks each value: a budget in (0, ``maxMilliseconds``] ms, names that are one printable
    /// line of at most ``maxNameLength`` characters, threads in ``threadsRange``.
    /// - Throws: ``LatencyError/invalidBudget(_:)`` naming the value at fault.
    public func validate() throws(LatencyError) {
        guard maxMs.isFinite, maxMs > 0, maxMs <= Self.maxMilliseconds else {
            throw .invalidBudget("\(maxMs) ms is not a latency in (0, \(Int(Self.maxMilliseconds))] ms")
        }
        guard admissionSpreads.isFinite, Self.admissionSpreadsRange.contains(admissionSpreads) else {
            throw .invalidBudget("an admission margin of \(admissionSpreads) spreads is not in "
                                 + "\(Int(Self.admissionSpreadsRange.lowerBound))...\(Int(Self.admissionSpreadsRange.upperBound))")
        }
        try target(bits: nil).validate()
    }

    /// The budget in words, e.g. `40 ms on pixel-8 (onnxruntime, 1 thread, margin 1 spread)`.
    public var text: String {
        "\(Self.millisecondsText(maxMs)) ms on \(device) (\(runtime), \(threads) thread\(threads == 1 ? "" : "s"), "
            + "margin \(Self.millisecondsText(admissionSpreads)) spread\(admissionSpreads == 1 ? "" : "s"))"
    }

    /// Milliseconds in their shortest form: `40`, `12.5`.
    public static func millisecondsText(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
