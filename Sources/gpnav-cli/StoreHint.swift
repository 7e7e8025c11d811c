import Foundation
import GPNav

/// How a follow-up command that gpnav prints (`History: gpnav trials ...`) names the store, so that
/// it runs as printed and never shows a password.
///
/// - The default `gpnav.sqlite`, or a store named by `GPNAV_DB`: no `--db` (the same working
///   directory or environment names it again).
/// - `--db` with a file or a PostgreSQL URL without a password: `--db` and that name, quoted for
///   the shell where needed.
/// - `--db` with a PostgreSQL URL with a password: `--db "$GPNAV_DB"`, and a note saying what
///   GPNAV_DB must hold (the URL with `***` where its password goes).
struct StoreHint: Equatable {
    /// What follows a printed command: empty, or ` --db ...`.
    let flag: String
    /// A line to print after the commands, when they need something set first.
    let note: String?

    /// The hint for the store named by `--db` (`given`, nil when absent), else by `GPNAV_DB`
    /// (`environment`), else the default file.
    init(given: String?, environment: String?) {
        guard let given else {
            (flag, note) = ("", nil)
            return
        }
        let location = try? StoreLocation(given)
        if case .postgres(let url) = location, url.password != nil {
            flag = " --db \"$GPNAV_DB\""
            note = "Store:   set GPNAV_DB to \(url.redacted) with the password in place of *** (it is not shown)"
            return
        }
        let name = location?.description ?? given
        note = nil
        if name == "gpnav.sqlite", environment == nil {
            flag = ""
        } else {
            flag = " --db " + Self.shellWord(name)
        }
    }

    /// `text` bare when the shell reads it as one word unchanged, else single-quoted.
    static func shellWord(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_./:@%+=,".unicodeScalars.contains($0))
        }
        return plain ? text : CommandEvaluator.shellQuoted(text)
    }
}

extension DatabaseOptions {
    /// How printed follow-up commands name this store.
    var hint: StoreHint {
        let environment = ProcessInfo.processInfo.environment["GPNAV_DB"].flatMap { $0.isEmpty ? nil : $0 }
        return StoreHint(given: db, environment: environment)
    }
}
