import ArgumentParser
import Foundation
import GPNav
import GaussianProcess

/// `gpnav`: Gaussian-process architecture search for a registered family under a compute budget.
@main
struct GPNavCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpnav",
        abstract: "Find the most accurate \(FamilyNames.displayed) that fits a compute budget, with Gaussian processes.",
        discussion: """
            Start with `gpnav search --macs 300M`. Every trial is kept in a SQLite file \
            (gpnav.sqlite here, or --db PATH, or GPNAV_DB); read it back with `gpnav trials` \
            and `gpnav pareto`.
            """,
        version: GPNavBuild.version,
        subcommands: [
            // The main job, then reading results, understanding them, moving them, and tools.
            SearchCommand.self,
            DownsizeCommand.self,
            EvaluateCommand.self,
            TrialsCommand.self,
            ParetoCommand.self,
            StudiesCommand.self,
            CopyCommand.self,
            AnalyzeCommand.self,
            PlotCommand.self,
            ImportCommand.self,
            ExportCommand.self,
            MACsCommand.self,
            GPCommand.self,
            ServeCommand.self,
            WorkerCommand.self,
            DashboardCommand.self,
        ]
    )

    /// Runs the command and turns every error into one line on stderr and a documented exit code.
    static func main() async {
        OpenBLASCore.reexecuteIfMisdetected()
        StandardStreams.prepare()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            // A stop signal's handler owns the exit (it closes the stores itself).
            StopSignals.holdIfStopping()
            try await OpenStores.closeAll()
        } catch {
            StopSignals.holdIfStopping()
            // The command's own error comes first; a store that cannot close adds nothing to it.
            try? await OpenStores.closeAll()
            exit(reporting: error)
        }
    }

    static func exit(reporting error: any Error) -> Never {
        let code = GPNavExitCode(for: error)
        switch code {
        case .success, .parserHandled:
            // Help, version and CleanExit: ArgumentParser's text, written like any other output.
            let text = Self.fullMessage(for: error)
            let status = Self.exitCode(for: error)
            if !text.isEmpty {
                if status == .success {
                    do { try StandardStreams.writeOutput(text + "\n") } catch { Self.exit(reporting: error) }
                } else {
                    StandardStreams.writeError(text + "\n")
                }
            }
            Foundation.exit(status.rawValue)
        default:
            let message = Self.oneLineMessage(for: error)
            StandardStreams.writeError("gpnav: error: \(message)\n")
            Foundation.exit(code.rawValue)
        }
    }

    /// The error's message on one line; usage errors point at the help.
    static func oneLineMessage(for error: any Error) -> String {
        var message: String
        if let userError = error as? any UserFacingError {
            message = userError.description
            if let advice = ErrorAdvice.advice(for: error) { message += "; " + advice }
        } else if error is ExitCode {
            message = "stopped"
        } else {
            message = Self.message(for: error)
            if GPNavExitCode(for: error) == .usage, !message.contains("--help") {
                message += " (see 'gpnav --help')"
            }
        }
        if message.isEmpty { message = String(describing: error) }
        // Names and evaluator text inside a message come from data: no control character reaches the terminal.
        return TerminalText.escaped(message.split(whereSeparator: \.isNewline).map(String.init).joined(separator: "; "))
    }
}
