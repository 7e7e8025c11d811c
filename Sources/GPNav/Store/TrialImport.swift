import Foundation
import MobileViT

/// Why a trials CSV cannot be imported; the message names the file and, for a bad row, its line.
public struct TrialImportError: UserFacingError, Equatable, Sendable {
    public var kind: FailureKind
    public var message: String
    public var description: String { message }

    public init(kind: FailureKind = .data, message: String) {
        self.kind = kind
        self.message = message
    }
}

/// Finished trials read back from CSV: the columns that ``TrialExport`` writes (so
/// `gpnav trials --format csv` output imports as is), validated row by row.
///
/// Columns (matched by header name, in any order):
/// - required: `resolution`, `width`, `accuracy` (percent in 0...100; may be empty only for failed
///   or pruned trials), and in a row each depth group of its family (per stage, comma-separated,
///   e.g. `mv2_depths` `"2,4,3"` for MobileViTv2, `depths` for MobileNetV2);
/// - optional: `family` (the architecture's family; empty, or no such column, means `mobilevitv2`,
///   so files written before families import unchanged), `classes` (default: the study's), `state`
///   (`complete`, `failed`, `pruned` or `abandoned`; empty means complete; running trials cannot be
///   imported; `failed` with an error that begins `abandoned:`, as files written before `abandoned`
///   was a state have it, reads as abandoned), `error`, `started_at`, `finished_at`
///   (ISO 8601 UTC as written by the store; empty means the import time), and `metric_<name>`
///   (a finite number, or empty for none);
/// - ignored: every other column, including `macs` and `params`, which are recomputed from the
///   architecture with ``MobileViT/CostModel`` and never trusted.
///
/// Parsing stops at the first bad row; nothing is returned unless every row is good.
public enum TrialImport {
    /// One good row.
    public struct Row: Sendable, Equatable {
        /// Physical line of the file where the row starts (1-based; the header is line 1).
        public var line: Int
        public var architecture: Architecture
        public var state: TrialState
        public var accuracy: Double?
        public var metrics: [String: Double]
        public var error: String?
        public var startedAt: Date?
        public var finishedAt: Date?
    }

    /// Columns a file must have.
    public static let requiredColumns = ["resolution", "width", "accuracy"]
    /// Longest field accepted, in bytes: well above any real value or error text, small enough
    /// that a runaway file is refused with a clear line instead of being stored.
    public static let maximumFieldBytes = 65_536

    /// Reads and parses the file at `path`.
    /// - Throws: ``TrialImportError`` (`notFound` for a missing file, `data` for anything inside).
    public static func load(path: String, defaultClasses: Int = 1000) throws(TrialImportError) -> [Row] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TrialImportError(kind: .notFound, message: "\(path): no such file")
        }
        guard !isDirectory.boolValue else {
            throw TrialImportError(kind: .notFound, message: "\(path): cannot be read (a directory, or no permission)")
        }
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch {
            throw TrialImportError(kind: error.kind, message: error.description)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TrialImportError(message: "\(path): not UTF-8 text")
        }
        return try parse(text, source: path, defaultClasses: defaultClasses)
    }

    /// Parses CSV `text`; `source` names it in messages.
    /// - Throws: ``TrialImportError`` for the first problem found.
    public static func parse(_ text: String, source: String, defaultClasses: Int = 1000) throws(TrialImportError) -> [Row] {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let records: [CSV.Record]
        do {
            // Cells that export neutralised against spreadsheet formulas read back as they were.
            records = try CSV.parse(body).map { record in
                CSV.Record(line: record.line, fields: record.fields.map(CSV.restored))
            }
        } catch {
            throw TrialImportError(message: "\(source): \(error.description)")
        }
        guard let header = records.first else {
            throw TrialImportError(message: "\(source): empty file, expected a header row with \(requiredColumns.joined(separator: ", "))")
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        try checkLengths(header, names: names, source: source)
        let columns = try ColumnMap(names: names, source: source)
        guard records.count > 1 else {
            throw TrialImportError(message: "\(source): no trials to import (only a header)")
        }
        var rows: [Row] = []
        rows.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            try checkLengths(record, names: names, source: source)
            guard record.fields.count == names.count else {
                throw TrialImportError(message: "\(source): line \(record.line): \(record.fields.count) fields, the header has \(names.count)")
            }
            do {
                rows.append(try columns.row(record, defaultClasses: defaultClasses))
            } catch {
                throw TrialImportError(message: "\(source): line \(record.line): \(error.message)")
            }
        }
        return rows
    }

    /// Checks that every row's architecture is of the family `study` searches.
    /// - Throws: ``TrialImportError`` naming the first row of another family.
    public static func checkFamily(_ rows: [Row], study: Study) throws(TrialImportError) {
        guard let row = rows.first(where: { $0.architecture.familyName != study.family }) else { return }
        throw TrialImportError(message: "line \(row.line): the architecture is of family '\(row.architecture.familyName)', but study '\(study.name)' searches family '\(study.family)'")
    }

    /// The rows as trials of study `studyID`, with MACs and parameters counted by the cost
    /// model, proposal kind `import`, and `importedAt` for times the file does not give.
    public static func trials(_ rows: [Row], studyID: Int64, importedAt: Date = Date()) -> [Trial] {
        rows.map { row in
            let cost = CostModel.cost(of: row.architecture)
            return Trial(studyID: studyID, number: 0, state: row.state, architecture: row.architecture,
                         macs: cost.macs, params: cost.params, accuracy: row.accuracy, metrics: row.metrics,
                         proposal: Proposal(kind: .imported), error: row.error,
                         startedAt: row.startedAt ?? importedAt, finishedAt: row.finishedAt ?? importedAt)
        }
    }

    private static func checkLengths(_ record: CSV.Record, names: [String], source: String) throws(TrialImportError) {
        for (index, field) in record.fields.enumerated() where field.utf8.count > maximumFieldBytes {
            let column = index < names.count && record.line > 1 ? "column '\(names[index])'" : "field \(index + 1)"
            throw TrialImportError(message: "\(source): line \(record.line): \(column) holds \(field.utf8.count) bytes, more than the \(maximumFieldBytes) allowed")
        }
    }

    /// A value for a message: at most 40 characters, on one line.
    static func shown(_ value: String) -> String {
        let flat = value.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        return flat.count <= 40 ? flat : String(flat.prefix(37)) + "..."
    }
}
