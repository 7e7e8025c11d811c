import Foundation

/// Reads a command's stdout line by line for ``ProcessRunner/runOnOwnThread(_:command:environment:workingDirectory:timeout:name:)``;
/// one fresh reader per run.
protocol StdoutLineReader: Sendable {
    init()
    mutating func read(_ line: StdoutLine)
}

extension ProcessRunner {
    /// Runs a short tool command (a latency measurement, an export) as ``run(command:environment:workingDirectory:timeout:grace:outputLimit:stop:stdoutLine:)``
    /// does, on a thread of its own: the runner blocks while it waits, which must never hold a thread
    /// of Swift's cooperative pool. Its stdout lines go to a fresh `Reader`; 16 KiB of output are kept
    /// for the reason of a failure, and a command past `timeout` gets SIGTERM, then SIGKILL 5 s later.
    static func runOnOwnThread<Reader: StdoutLineReader>(
        _ reader: Reader.Type, command: String, environment: [String: String], workingDirectory: String?,
        timeout: Duration, name: String
    ) async -> (outcome: Result<ProcessOutcome, LaunchFailure>, lines: Reader) {
        let limit = timeout.seconds
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                var lines = Reader()
                let outcome = ProcessRunner.run(command: command, environment: environment, workingDirectory: workingDirectory,
                                                timeout: limit, grace: 5, outputLimit: 16 * 1024) { lines.read($0) }
                continuation.resume(returning: (outcome, lines))
            }
            thread.name = name
            thread.start()
        }
    }
}

extension Duration {
    /// The duration in seconds, as the process runner's limits take it.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
