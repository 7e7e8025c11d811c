import ArgumentParser

/// `gpnav latency`: a device's latency measurements and the latency model fitted to them.
struct LatencyToolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "List a device's latency measurements, fit and check its latency model, predict, or measure one.",
        discussion: """
            Measurements are kept per device, runtime, threads and bits, and every study on that \
            target reuses them (gpnav search --latency measures as it goes). The latency model of a \
            target is fitted to that target's measurements only; its predictions are labelled as \
            predictions, never shown as measurements.

            Examples:
              gpnav latency list --device edge
              gpnav latency fit --device edge
              gpnav latency predict --device edge --resolution 224 --width 0.75
              gpnav latency measure --device edge --resolution 224 --width 0.75 \\
                --latency-command 'python -m gpnav_torch.latency --config {config}'
            """,
        subcommands: [LatencyListCommand.self, LatencyFitCommand.self, LatencyPredictCommand.self, LatencyMeasureCommand.self],
        defaultSubcommand: LatencyListCommand.self
    )
}
