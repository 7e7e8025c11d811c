import Foundation
import MobileViT

/// What a latency command reported on stdout: the last line that is a JSON object with a
/// `latency_ms` key, as `python -m gpnav_torch.latency` prints it, e.g.
/// `{"latency_ms": 41.2, "latency_spread_ms": 0.8, "cpu_ms": 40.9, "runtime": "onnxruntime",
/// "threads": 1, "precision": "float32", "device": "AMD EPYC 7B13", "load_average_1m": 0.4}`.
///
/// `latency_ms` (a finite number above 0) and `latency_spread_ms` (finite, at least 0) are
/// required; `runtime`, `threads` and `precision` are checked against the study's target when
/// given; `cpu_ms` and `load_average_1m` are kept when they are finite numbers.
public struct LatencyReading: Sendable, Hashable {
    public var latencyMs: Double
    public var spreadMs: Double
    public var cpuMs: Double?
    public var runtime: String?
    public var threads: Int?
    /// `float32`, `int8`, ... as the command says.
    public var precision: String?
    /// The hardware the command ran on, in its words (a CPU model, a GPU name).
    public var hardware: String?
    public var loadAverage: Double?

    public init(latencyMs: Double, spreadMs: Double, cpuMs: Double? = nil, runtime: String? = nil, threads: Int? = nil,
                precision: String? = nil, hardware: String? = nil, loadAverage: Double? = nil) {
        self.latencyMs = latencyMs
        self.spreadMs = spreadMs
        self.cpuMs = cpuMs
        self.runtime = runtime
        self.threads = threads
        self.precision = precision
        self.hardware = hardware
        self.loadAverage = loadAverage
    }

    /// `measurement` as a reading of its target: what a measure-only worker sends when it judged
    /// several readings as one (``LatencyBudget/judgedMeasurement(reading:)``), so that the server
    /// stores the combined measurement, not one of its readings.
    public init(_ measurement: LatencyMeasurement) {
        self.init(latencyMs: measurement.latencyMs, spreadMs: measurement.spreadMs, cpuMs: measurement.cpuMs,
                  runtime: measurement.target.runtime, threads: measurement.target.threads,
                  precision: measurement.target.precision, loadAverage: measurement.loadAverage)
    }

    /// The reading of a strict-JSON line's members.
    /// - Throws: ``LatencyError/measurementFailed(_:)`` naming the key at fault.
    init(fields: [String: TrainingReport.Value]) throws(LatencyError) {
        func number(_ key: String) -> Double? {
            if case .number(let value) = fields[key], value.isFinite { return value }
            return nil
        }
        func text(_ key: String) -> String? {
            if case .string(let value) = fields[key] { return value }
            return nil
        }
        // A missing number reads as NaN, which ``validate()`` refuses in the key's words.
        latencyMs = number("latency_ms") ?? .nan
        spreadMs = number("latency_spread_ms") ?? .nan
        cpuMs = number("cpu_ms").flatMap { $0 >= 0 ? $0 : nil }
        runtime = text("runtime")
        threads = number("threads").flatMap { $0 == $0.rounded() && abs($0) < 1e9 ? Int($0) : nil }
        precision = text("precision")
        hardware = text("device")
        loadAverage = number("load_average_1m")
        try validate()
    }

    /// Checks the reading, wherever it came from (a command's line, a request body): `latency_ms`
    /// a finite number above 0, `latency_spread_ms` finite and at least 0, `cpu_ms` and
    /// `load_average_1m` finite and at least 0 when given.
    /// - Throws: ``LatencyError/measurementFailed(_:)`` naming the key at fault.
    public func validate() throws(LatencyError) {
        guard latencyMs.isFinite, latencyMs > 0 else {
            throw .measurementFailed("\"latency_ms\" is not a number of milliseconds above 0")
        }
        guard spreadMs.isFinite, spreadMs >= 0 else {
            throw .measurementFailed("\"latency_spread_ms\" is missing or not a number of milliseconds of at least 0")
        }
        for (key, value) in [("cpu_ms", cpuMs), ("load_average_1m", loadAverage)] {
            if let value, !(value.isFinite && value >= 0) { throw .measurementFailed("\"\(key)\" is not a finite number of at least 0") }
        }
    }

    /// The measurement this reading is of `architecture` on `target`, taken at `time`.
    /// - Throws: ``LatencyError/targetMismatch(_:)`` when the command reports another runtime,
    ///   thread count or precision than the target's.
    public func measurement(of architecture: Architecture, on target: LatencyTarget,
                            at time: Date) throws(LatencyError) -> LatencyMeasurement {
        if let runtime, runtime != target.runtime {
            throw .targetMismatch("runtime \(runtime), the study's is \(target.runtime)")
        }
        if let threads, threads != target.threads {
            throw .targetMismatch("\(threads) threads, the study's is \(target.threads)")
        }
        let expected = target.precision
        if let precision, precision != expected {
            throw .targetMismatch("precision \(precision), the study's is \(expected) (budget bits \(target.bits))")
        }
        return LatencyMeasurement(target: target, architecture: architecture, latencyMs: latencyMs, spreadMs: spreadMs,
                                  cpuMs: cpuMs, measuredAt: time, loadAverage: loadAverage)
    }
}

/// Reads a latency command's stdout line by line: the last JSON object line with a `latency_ms`
/// key counts; a line that names it but is not strict JSON (or too long to read) replaces any
/// earlier one, so that a broken last line never lets an older one count.
struct LatencyLines: StdoutLineReader {
    private var last: Result<LatencyReading, LatencyError>?

    mutating func read(_ line: StdoutLine) {
        switch line {
        case .text(let bytes):
            guard Self.mentionsLatency(bytes) else { return }
            switch TrainingReport.parse(line: bytes) {
            case nil: return
            case .success(let report):
                last = Result { () throws(LatencyError) in try LatencyReading(fields: report.fields) }
            case .failure(let error):
                last = .failure(.measurementFailed("the last line with \"latency_ms\" is not valid JSON: \(error)"))
            }
        case .overlong(let number, _, _):
            last = .failure(.measurementFailed("stdout line \(number) is too long to read"))
        }
    }

    /// The reading, or why there is none.
    var reading: Result<LatencyReading, LatencyError> {
        last ?? .failure(.measurementFailed("printed no JSON line with \"latency_ms\" on stdout"))
    }

    private static let key = Array("\"latency_ms\"".utf8)

    private static func mentionsLatency(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.firstRange(of: key) != nil
    }
}
