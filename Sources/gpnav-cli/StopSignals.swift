import Dispatch
import Foundation
import GPNav

/// SIGINT, SIGTERM and SIGHUP end gpnav cleanly: the running work is cancelled, the training
/// commands are stopped (each runs in a process group of its own, so that a time-out can kill its
/// whole tree, which also keeps it out of reach of the terminal's Ctrl-C), the open stores are
/// closed, so that SQLite's write-ahead log is checkpointed into the database file, and gpnav
/// exits with 128 + the signal.
///
/// Every command that opens a store installs the handlers (see ``OpenStores``), except `gpnav
/// serve`, whose service lifecycle owns its graceful shutdown.
enum StopSignals {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    nonisolated(unsafe) private static var callbacks: [@Sendable () -> Void] = []
    nonisolated(unsafe) private static var drains: [@Sendable () -> Void] = []
    nonisolated(unsafe) private static var leftToService = false

    /// Seconds the commands get between SIGTERM and SIGKILL.
    static let grace: Double = 5

    /// Seconds the stores get to close (a checkpoint waits for other processes' readers).
    static let closingTime: Double = 10

    /// Once a stop signal arrived, its handler owns the exit (message and status): the command's
    /// own path, which ends soon after as its work fails, must not exit first with another status.
    static func holdIfStopping() {
        guard RunningCommands.isStopping else { return }
        while true { sleep(1) }
    }

    /// The process handles stop signals itself (`gpnav serve`): ``install()`` does nothing.
    static func leaveToService() {
        lock.withLock { leftToService = true }
    }

    /// Adds `work` to run first on a stop (it cancels the running work, so that nothing new
    /// starts), and installs the handlers.
    static func onStop(_ work: @escaping @Sendable () -> Void) {
        lock.withLock { callbacks.append(work) }
        install()
    }

    /// Adds `task` to wait for, at most ``closingTime`` seconds, once the training commands are
    /// stopped and before the stores close: the work records what the stop did to its trials.
    static func awaitBeforeClosing<T: Sendable>(_ task: Task<T, any Error>) {
        lock.withLock {
            drains.append {
                let ended = DispatchSemaphore(value: 0)
                Task {
                    _ = try? await task.value
                    ended.signal()
                }
                _ = ended.wait(timeout: .now() + closingTime)
            }
        }
    }

    /// Installs the handlers, once per process; later calls add nothing.
    static func install() {
        lock.lock()
        defer { lock.unlock() }
        guard sources.isEmpty, !leftToService else { return }
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop(number, name) }
            source.resume()
            sources.append(source)
        }
    }

    private static func stop(_ number: Int32, _ name: String) {
        for work in lock.withLock({ callbacks }) { work() }
        let stopped = RunningCommands.stopAll(grace: grace)
        for drain in lock.withLock({ drains }) { drain() }
        OpenStores.closeAllNow(within: closingTime)
        var message = "gpnav: error: interrupted by \(name)"
        if stopped > 0 {
            message += "; stopped \(stopped) running training command(s); "
                + "their trials are abandoned, and resuming the study trains them again (gpnav search --study NAME --resume)"
        }
        StandardStreams.writeError(message + "\n")
        _exit(128 + number)
    }
}
