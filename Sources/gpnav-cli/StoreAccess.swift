import ArgumentParser
import Foundation
import GPNav
import MobileViT

extension DatabaseOptions {
    /// The store for a command that only reads: never creates or changes the file.
    func openForReading() throws -> SQLiteTrialStore {
        try SQLiteTrialStore(path: path, access: .readOnly)
    }

    /// The store for a command that writes; `create` lets it make a new database file.
    func openForWriting(create: Bool) throws -> SQLiteTrialStore {
        try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: create))
    }
}

extension TrialState: ExpressibleByArgument {}
extension TrialQuery.SortKey: ExpressibleByArgument {}

/// Writing command output to `--out FILE` or stdout.
enum OutputDestination {
    /// Writes `text` to `path` (replacing it whole), or to stdout when `path` is nil.
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            try StandardStreams.writeOutput(text)
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw OutputFileError(path: path)
        }
    }
}

/// An output file could not be written.
struct OutputFileError: UserFacingError {
    var path: String
    var kind: FailureKind { .usage }
    var description: String {
        "cannot write '\(path)': check that its directory exists and is writable"
    }
}

/// Short human forms for table cells.
enum CellText {
    static func accuracy(_ value: Double?) -> String {
        value.map { String(format: "%.2f", $0) } ?? "-"
    }

    static func depths(_ depths: [Int]) -> String {
        depths.map(String.init).joined(separator: ",")
    }

    static func proposal(_ proposal: Proposal) -> String {
        switch proposal.kind {
        case .start, .downsize:
            proposal.step.map { "\(proposal.kind.rawValue) \($0)" } ?? proposal.kind.rawValue
        case .gp:
            proposal.acquisition.map { "gp " + String(format: "%.3g", $0) } ?? "gp"
        default:
            proposal.kind.rawValue
        }
    }
}
