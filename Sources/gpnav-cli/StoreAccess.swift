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
