import ArgumentParser
import GPNav

/// gpnav's exit codes, one per kind of failure (listed in the README). A search or evaluation
/// that runs training commands and is stopped by SIGINT, SIGTERM or SIGHUP exits with 128 + the
/// signal (130, 143, 129) after stopping them (see ``StopSignals``).
enum GPNavExitCode: Int32 {
    case success = 0
    /// An unexpected internal error.
    case failure = 1
    /// Bad command-line input: unknown flag, malformed value, out-of-range factor, impossible budget.
    case usage = 2
    /// A bad input file: malformed CSV or JSON, a bad row.
    case data = 3
    /// Something named does not exist: study, trial, preset, input file.
    case notFound = 4
    /// The database cannot be used: not SQLite, newer schema, read-only, missing directory.
    case database = 5
    /// The search stopped because too many trials failed (`--max-failures`).
    case evaluation = 6
    /// Output could not be written: standard output closed, full or a broken pipe, or an
    /// `--out` file that cannot be written.
    case output = 7
    /// Not ours: ArgumentParser's help, version and clean exits.
    case parserHandled = -1

    init(for error: any Error) {
        if error is OutputWriteError {
            self = .output
            return
        }
        if let userError = error as? any UserFacingError {
            self = switch userError.kind {
            case .usage: .usage
            case .data: .data
            case .notFound: .notFound
            case .database: .database
            case .evaluation: .evaluation
            }
            return
        }
        let parserCode = GPNavCommand.exitCode(for: error)
        if parserCode == .success {
            self = .parserHandled
        } else if parserCode == .validationFailure || error is ValidationError {
            self = .usage
        } else if let exitCode = error as? ExitCode {
            self = GPNavExitCode(rawValue: exitCode.rawValue) ?? .failure
        } else {
            // Errors thrown while parsing (unknown option, bad value) come as parser errors.
            self = GPNavCommand.fullMessage(for: error).contains("Usage:") ? .usage : .failure
        }
    }
}
