import ArgumentParser
import Foundation
import GPNav

/// `--token-file`, else `GPNAV_TOKEN`: the bearer token shared by `gpnav serve` and its clients.
/// The token is never printed.
struct TokenOptions: ParsableArguments {
    @Option(help: ArgumentHelp("File holding the bearer token (default: $GPNAV_TOKEN).", valueName: "file"))
    var tokenFile: String?

    /// The token, white space around it trimmed; nil when neither the file nor the variable gives one.
    func token() throws -> String? {
        if let tokenFile {
            let data: Data
            do {
                data = try InputFile.read(tokenFile, limit: 64 * 1024)
            } catch {
                throw ValidationError("--token-file: \(error.description)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw ValidationError("--token-file: '\(tokenFile)' is empty") }
            return token
        }
        let fromEnvironment = ProcessInfo.processInfo.environment["GPNAV_TOKEN"]?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return fromEnvironment?.isEmpty == false ? fromEnvironment : nil
    }
}
