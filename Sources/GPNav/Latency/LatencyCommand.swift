import Foundation
import MobileViT

/// Measures architectures' latency: the study's seam for a latency command, a fake in tests.
public protocol LatencyMeter: Sendable {
    /// The meter in words (the command and its time limit).
    var summary: String { get }
    /// Measures `request`'s architecture once.
    /// - Throws: ``LatencyError/measurementFailed(_:)`` with one line saying why there is no reading.
    func measure(_ request: EvaluationRequest) async throws(LatencyError) -> LatencyReading
}

/// Measures an architecture by running a latency command, such as
/// `python -m gpnav_torch.latency --config {config} --threads 1`, once per architecture.
///
/// It runs as a training command does (``CommandEvaluator``): the architecture's ``TrialConfig``
/// is written as a JSON file for `{config}`, the placeholders become environment variables, the
/// command runs in a process group of its own without gpnav's variables (so no secret reaches it),
/// and it is killed at its time limit. It reports by printing a JSON line with `latency_ms` (see
/// ``LatencyReading``); anything else is a one-line failure that ends with the last line the
/// command wrote on stderr or stdout (the latency tool's own reason, when it refused to measure).
public struct LatencyCommand: LatencyMeter {
    public let commandTemplate: String
    public let timeout: Duration
    /// Where the configuration files are written (created when missing); each is removed after its run.
    public let configDirectory: URL
    public let workingDirectory: URL?
    /// The longest excerpt of the command's last output line kept in a failure.
    static let excerptLength = 300

    public init(commandTemplate: String, timeout: Duration, configDirectory: URL, workingDirectory: URL? = nil) {
        self.commandTemplate = commandTemplate
        self.timeout = timeout
        self.configDirectory = configDirectory
        self.workingDirectory = workingDirectory
    }

    public var summary: String { "latency command: \(commandTemplate)" }

    public func measure(_ request: EvaluationRequest) async throws(LatencyError) -> LatencyReading {
        let config = try writeConfiguration(request)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let environment = CommandTemplate.environment(config: config, trial: request.trialNumber, study: request.study,
                                                      seed: request.seed)
        if environment.values.contains(where: { $0.utf8.contains(0) }) {
            throw .measurementFailed("the study name holds a NUL character, which a command's environment cannot carry")
        }
        let script = CommandTemplate(template: commandTemplate).script
        let limit = timeout.seconds
        let run = await ProcessRunner.runOnOwnThread(LatencyLines.self, command: script, environment: environment,
                                                     workingDirectory: workingDirectory?.path, timeout: timeout,
                                                     name: "gpnav latency \(request.trialNumber)")
        let outcome: ProcessOutcome
        switch run.outcome {
        case .failure(let failure): throw .measurementFailed(failure.message)
        case .success(let value): outcome = value
        }
        let said = Self.lastLine(of: outcome.outputTail).map { ": \($0)" } ?? ""
        if outcome.timedOut { throw .measurementFailed("timed out after \(Int(limit.rounded())) s; its process group was killed") }
        switch outcome.termination {
        case .signaled(let signal): throw .measurementFailed("killed by signal \(signal)\(said)")
        case .exited(let status) where status != 0: throw .measurementFailed("exited with status \(status)\(said)")
        case .exited: return try run.lines.reading.get()
        }
    }

    /// The last non-empty line of `output`, cut to ``excerptLength`` characters.
    static func lastLine(of output: String) -> String? {
        guard let line = output.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            return nil
        }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count > excerptLength ? String(trimmed.prefix(excerptLength)) + "..." : trimmed
    }

    private func writeConfiguration(_ request: EvaluationRequest) throws(LatencyError) -> String {
        let file = configDirectory.appendingPathComponent("latency-\(UUID().uuidString.lowercased()).json")
        do {
            try FileManager.default.createDirectory(at: configDirectory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(TrialConfig(request)).write(to: file, options: .atomic)
        } catch {
            throw .measurementFailed("could not write the configuration \(file.path): \(error.localizedDescription)")
        }
        return file.path
    }
}
