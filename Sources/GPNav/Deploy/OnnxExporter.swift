import Foundation

/// Exports a trial's network as ONNX by running the Python side,
/// `<python> -m gpnav_torch.export --config FILE --onnx OUT [--checkpoint WEIGHTS]`, which builds
/// the network gpnav counts, loads the weights, writes the file and checks it against PyTorch
/// with ONNX Runtime.
///
/// The command runs as a latency command does: the configuration is a JSON file written for the
/// run and removed after it, every value reaches the shell through an environment variable (never
/// as script text), gpnav's own `GPNAV_` variables are withheld, the command has a process group
/// of its own and is killed at ``timeout``. gpnav does not search for an interpreter: ``python``
/// is run as given (a path, or a name the shell finds on `PATH`), as training commands are.
public struct OnnxExporter: Sendable {
    /// The interpreter when none is named: the name Python 3 installs under on every platform
    /// gpnav builds on (`python` is Python 2 or missing on some).
    public static let defaultPython = "python3"
    /// The Python module that exports.
    public static let module = "gpnav_torch.export"

    /// The interpreter, a path or a command name.
    public let python: String
    /// The longest the export may take.
    public let timeout: Duration
    /// Where the configuration file is written for the run (created when missing).
    public let scratchDirectory: URL

    public init(python: String = OnnxExporter.defaultPython, timeout: Duration = .seconds(600),
                scratchDirectory: URL = FileManager.default.temporaryDirectory) {
        self.python = python
        self.timeout = timeout
        self.scratchDirectory = scratchDirectory
    }

    /// Exports `trial`'s network (of study `study`) to `output`, with the trained weights
    /// `files` says it has when they are there, and else the exporter's seeded random initial
    /// weights (the report's ``OnnxExportReport/weights`` says which).
    /// - Throws: as ``export(_:weights:to:)``.
    public func export(_ trial: Trial, study: String, files: TrialFiles, to output: URL) async throws(OnnxExportError) -> OnnxExportReport {
        try await export(TrialConfig(trial: trial, study: study), weights: try? files.existingWeights(), to: output)
    }

    /// Exports `config`'s network with the weights at `weights` (nil: the exporter's seeded random
    /// initial weights) to `output`.
    /// - Throws: ``OnnxExportError``: the interpreter or a module it needs is missing, the export
    ///   failed or disagreed with PyTorch (the Python side's one-line reason), or it printed no report.
    public func export(_ config: TrialConfig, weights: URL?, to output: URL) async throws(OnnxExportError) -> OnnxExportReport {
        let configFile = try writeConfiguration(config)
        defer { try? FileManager.default.removeItem(at: configFile) }
        var variables = ["GPNAV_PYTHON": python, "GPNAV_CONFIG": configFile.path, "GPNAV_ONNX": output.path]
        variables["GPNAV_CHECKPOINT"] = weights?.path
        let environment = variables
        if environment.values.contains(where: { $0.utf8.contains(0) }) {
            throw .exportFailed("a path or the interpreter's name holds a NUL character, which a command's environment cannot carry")
        }
        let script = "exec \"$GPNAV_PYTHON\" -m \(Self.module) --config \"$GPNAV_CONFIG\" --onnx \"$GPNAV_ONNX\""
            + (weights == nil ? "" : " --checkpoint \"$GPNAV_CHECKPOINT\"")
        let limit = timeout.seconds
        let run = await ProcessRunner.runOnOwnThread(OnnxExportLines.self, command: script, environment: environment,
                                                     workingDirectory: nil, timeout: timeout, name: "gpnav onnx export")
        let outcome: ProcessOutcome
        switch run.outcome {
        case .failure(let failure): throw .exportFailed(failure.message)
        case .success(let value): outcome = value
        }
        if outcome.timedOut { throw .exportFailed("timed out after \(Int(limit.rounded())) s; its process group was killed") }
        let said = outcome.lastErrorLine ?? LatencyCommand.lastLine(of: outcome.outputTail)
        switch outcome.termination {
        case .signaled(let signal): throw .exportFailed("killed by signal \(signal)" + (said.map { ": \($0)" } ?? ""))
        case .exited(127): throw .interpreterNotFound(python: python)
        case .exited(let status) where status != 0:
            if let module = said.flatMap(Self.missingModule(in:)) { throw .moduleMissing(module: module, python: python) }
            throw .exportFailed("exited with status \(status)" + (said.map { ": \($0)" } ?? ""))
        case .exited:
            var report = try run.lines.report.get()
            report.weights = weights?.path
            return report
        }
    }

    /// The module named by Python's `No module named 'X'` in `line`, if it says so; for a
    /// submodule (`onnx.helper`) its top package, the one to install.
    static func missingModule(in line: String) -> String? {
        guard let start = line.range(of: "No module named '")?.upperBound,
              let end = line[start...].firstIndex(of: "'") else { return nil }
        let name = line[start..<end].split(separator: ".").first.map(String.init) ?? ""
        return name.isEmpty ? nil : name
    }

    private func writeConfiguration(_ config: TrialConfig) throws(OnnxExportError) -> URL {
        let file = scratchDirectory.appendingPathComponent("gpnav-export-\(UUID().uuidString.lowercased()).json")
        do {
            try FileManager.default.createDirectory(at: scratchDirectory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(config).write(to: file, options: .atomic)
        } catch {
            throw .exportFailed("could not write the configuration \(file.path): \(error.localizedDescription)")
        }
        return file
    }
}
