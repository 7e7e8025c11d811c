import ArgumentParser
import Foundation
import GPNav

/// `--device`, `--runtime`, `--threads`, `--bits`: the latency target whose measurements a
/// `gpnav latency` command reads or writes (``LatencyTarget``).
struct LatencyTargetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Device the measurements are of (default: this host's name).", valueName: "name"))
    var device: String?

    @Option(help: ArgumentHelp("Runtime measured with (default \(LatencyBudget.defaultRuntime)).", valueName: "name"))
    var runtime: String = LatencyBudget.defaultRuntime

    @Option(help: ArgumentHelp("CPU threads of the runtime (default \(LatencyBudget.defaultThreads)).", valueName: "n"),
            transform: ArgumentRange.wholeNumber)
    var threads: Int = LatencyBudget.defaultThreads

    @Option(help: ArgumentHelp("Weight bits measured: 32 (float, the default) or 8 (int8).", valueName: "bits"))
    var bits: Int = LatencyTarget.floatBits

    func validate() throws {
        guard bits == LatencyTarget.floatBits || bits == 8 else { throw ValidationError("--bits must be 32 or 8") }
        // The budget's checks are the target's: names of printable characters, threads in range.
        try LatencyBudget(maxMs: 1, device: deviceName, runtime: runtime, threads: threads).validate()
    }

    var deviceName: String { device ?? ProcessInfo.processInfo.hostName }

    var target: LatencyTarget {
        LatencyTarget(device: deviceName, runtime: runtime, threads: threads, bits: bits)
    }
}
