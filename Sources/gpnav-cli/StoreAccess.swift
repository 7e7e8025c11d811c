import ArgumentParser
import Foundation
import GPNav
import MobileViT

extension DatabaseOptions {
    /// The store for a command that only reads: never creates or changes the store.
    func openForReading() async throws -> any ClosableTrialStore {
        OpenStores.track(try await GPNav.openStore(try location, access: .readOnly))
    }

    /// Throws why `name` cannot name a new study (``StudyName``), unless a study of that name
    /// exists already: names stored before the rule keep working. Reads only, so that a bad
    /// name stops a command before it creates the database.
    func checkStudyName(_ name: String) async throws {
        do {
            _ = try StudyName(name)
        } catch {
            guard storeExists, let store = try? await openForReading(),
                  (try? await store.study(named: name)) != nil else { throw error }
        }
    }

    /// Whether the store may exist: a SQLite file that exists, or any PostgreSQL database.
    var storeExists: Bool {
        switch try? location {
        case .sqlite(let path): FileManager.default.fileExists(atPath: path)
        case .postgres: true
        case nil: false
        }
    }

    /// The store for a command that writes; `create` lets it make a new database file (or schema).
    func openForWriting(create: Bool) async throws -> any ClosableTrialStore {
        OpenStores.track(try await GPNav.openStore(try location, access: .readWrite(createIfMissing: create)))
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
