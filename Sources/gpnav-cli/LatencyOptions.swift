import ArgumentParser
import Foundation
import GPNav

/// `--latency`, `--latency-command`, `--device-name`, `--latency-runtime`, `--latency-threads`, `--latency-margin`:
/// a latency budget on a named device and the command that measures it. The budget is a setting of
/// the study (``LatencyBudget``, checked by the library); the command is given to each run, as a
/// training command is.
struct LatencyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Latency budget: the most one forward pass may take on the device, measured before "
                               + "training (e.g. 40ms, 0.05s); an architecture over it is never trained.", valueName: "time"),
            transform: LatencyOptions.milliseconds)
    var latency: Double?

    @Option(help: ArgumentHelp("Command that measures an architecture's latency and prints one JSON line with latency_ms, "
                               + "e.g. 'python -m gpnav_torch.latency --config {config} --threads 1'.", valueName: "command"))
    var latencyCommand: String?

    @Option(help: ArgumentHelp("Name of the device latencies are measured on (default: this host's name); measurements are "
                               + "kept per device and reused by every study on it.", valueName: "name"))
    var deviceName: String?

    @Option(help: ArgumentHelp("Runtime the latency command measures with (default \(LatencyBudget.defaultRuntime)).", valueName: "name"))
    var latencyRuntime: String?

    @Option(help: ArgumentHelp("CPU threads the latency command uses (default \(LatencyBudget.defaultThreads)).", valueName: "n"),
            transform: ArgumentRange.wholeNumber)
    var latencyThreads: Int?

    @Option(help: ArgumentHelp("Admission margin in spreads of the reading: an architecture is trained only when its measured "
                               + "median plus this many times its spread (interquartile range) is within --latency, so that it "
                               + "still meets the budget when measured again (default "
                               + "\(LatencyBudget.millisecondsText(LatencyBudget.defaultAdmissionSpreads)); 0 admits on the median alone).",
                               valueName: "spreads"),
            transform: LatencyOptions.number)
    var latencyMargin: Double?

    @Option(help: ArgumentHelp("Time limit of one latency measurement (default 600).", valueName: "seconds"),
            transform: ArgumentRange.seconds(positive: true))
    var latencyTimeout = Seconds(clamping: 600)

    func validate() throws {
        if latency == nil, deviceName != nil || latencyRuntime != nil || latencyThreads != nil || latencyMargin != nil {
            throw ValidationError("--device-name, --latency-runtime, --latency-threads and --latency-margin need --latency")
        }
        if let latencyCommand, latencyCommand.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--latency-command is empty")
        }
    }

    /// The latency budget the flags give; nil without `--latency`.
    var budget: LatencyBudget? {
        latency.map { maxMs in
            LatencyBudget(maxMs: maxMs, device: deviceName ?? ProcessInfo.processInfo.hostName,
                          runtime: latencyRuntime ?? LatencyBudget.defaultRuntime,
                          threads: latencyThreads ?? LatencyBudget.defaultThreads,
                          admissionSpreads: latencyMargin ?? LatencyBudget.defaultAdmissionSpreads)
        }
    }

    /// The meter of `--latency-command`, writing its configuration files in `configDirectory`.
    func meter(configDirectory: URL) -> (any LatencyMeter)? {
        latencyCommand.map { command in
            LatencyCommand(commandTemplate: command, timeout: latencyTimeout.duration, configDirectory: configDirectory)
        }
    }

    /// A plain number, such as `1.5`; its range is the library's to check (``LatencyBudget/validate()``).
    static func number(_ text: String) throws -> Double {
        guard let value = NumberText.double(Substring(text.trimmingCharacters(in: .whitespaces))), value.isFinite else {
            throw ValidationError("'\(text)' is not a number")
        }
        return value
    }

    /// Milliseconds from `40ms`, `0.05s` or a bare number of milliseconds.
    static func milliseconds(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let (number, scale): (Substring, Double) = trimmed.hasSuffix("ms") ? (trimmed.dropLast(2), 1)
            : trimmed.hasSuffix("s") ? (trimmed.dropLast(), 1000) : (Substring(trimmed), 1)
        guard let value = NumberText.double(number), value.isFinite else {
            throw ValidationError("'\(text)' is not a time: give milliseconds like 40ms, or seconds like 0.05s")
        }
        return value * scale
    }
}
