import Dispatch
import Foundation
import GPNav

/// SIGINT, SIGTERM and SIGHUP stop the running training commands before gpnav exits: each runs in
/// a process group of its own (so that a time-out can kill its whole tree), which also keeps it
/// out of reach of the terminal's Ctrl-C and would leave it training on, orphaned.
enum StopSignals {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Seconds the commands get between SIGTERM and SIGKILL.
    static let grace: Double = 5

    /// Once a stop signal arrived, its handler owns the exit (message and status): the command's
    /// own path, which ends soon after as its trials fail, must not exit first with another status.
    static func holdIfStopping() {
        guard RunningCommands.isStopping else { return }
        while true { sleep(1) }
    }

    /// Installs the handlers (once per process is enough; later calls add nothing). On a signal,
    /// `onStop` runs first (it cancels the running work, so that nothing new starts), then the
    /// training commands are stopped and gpnav exits with 128 + the signal.
    static func install(onStop: @escaping @Sendable () -> Void = {}) {
        guard sources.isEmpty else { return }
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                onStop()
                let stopped = RunningCommands.stopAll(grace: grace)
                let message = "gpnav: error: interrupted by \(name); stopped \(stopped) running training command(s); "
                    + "their trials count as failed when the study is resumed (gpnav search --study NAME --resume)\n"
                StandardStreams.writeError(message)
                // Other threads may be mid-write: SQLite keeps every transaction whole or absent.
                _exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
    }
}
