import Foundation
import GRDB
import MobileViT

extension SQLiteTrialStore {
    /// Work a migration's SQL cannot do, run right after it in the same transaction, by migration.
    static let completions: [String: @Sendable (Database) throws -> Void] = [
        "0003_architecture_family.sql": rewriteInexactWidths,
    ]

    /// Completes migration 0003 for the widths SQLite cannot write exactly.
    ///
    /// The migration writes a trial's width with 15 significant digits, which is the shortest
    /// form of every width that has one that short (every grid width does). The system SQLite's
    /// printf gives no more than 15 to 16 correct digits, so a width whose shortest form needs 16
    /// or 17 (0.30000000000000004, say) is written inexactly; its text no longer reads back as the
    /// width. Those rows get the width put back and the text rewritten in canonical form here.
    static func rewriteInexactWidths(_ db: Database) throws {
        let inexact = "SELECT id, width, architecture FROM trials WHERE json_extract(architecture, '$.width') <> width"
        for row in try Row.fetchAll(db, sql: inexact) {
            let id: Int64 = try row.decode(forColumn: "id")
            let width: Double = try row.decode(forColumn: "width")
            let text: String = try row.decode(forColumn: "architecture")
            // The migration ends the text with the width: `..."width":0.3}`.
            guard let key = text.range(of: #""width":"#, options: .backwards), text.hasSuffix("}") else {
                throw StoreError.corruptRow("trial row \(id) has no width at the end of its architecture text")
            }
            let exact = String(text[..<key.upperBound]) + "\(width)}"
            do {
                let architecture = try Architecture(canonicalJSON: exact)
                try db.execute(sql: "UPDATE trials SET architecture = ? WHERE id = ?", arguments: [architecture.canonicalJSON, id])
            } catch let error as ArchitectureError {
                throw StoreError.corruptRow("trial row \(id) has an invalid architecture: \(error)")
            }
        }
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM trials WHERE json_extract(architecture, '$.width') <> width") {
            throw StoreError.corruptRow("trial row \(id): its width cannot be written exactly in its architecture text")
        }
    }
}
