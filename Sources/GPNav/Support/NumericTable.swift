import Foundation

/// A CSV table whose header names columns and whose cells are all finite numbers.
public struct NumericTable: Sendable, Equatable {
    /// Why a numeric table could not be read; each message names the file and, where it can,
    /// the line and column.
    public struct ReadError: UserFacingError, Equatable, Sendable {
        public var kind: FailureKind
        public var message: String
        public var description: String { message }

        public init(kind: FailureKind, message: String) {
            self.kind = kind
            self.message = message
        }
    }

    public var columnNames: [String]
    /// One array per data row, in header order.
    public var rows: [[Double]]

    public init(columnNames: [String], rows: [[Double]]) {
        self.columnNames = columnNames
        self.rows = rows
    }

    /// Reads the CSV file at `path`; `source` in messages is the path.
    /// - Throws: ``ReadError`` (`notFound` for a missing file, `data` for anything wrong inside).
    public static func load(path: String) throws(ReadError) -> NumericTable {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ReadError(kind: .notFound, message: "\(path): no such file")
        }
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch {
            throw ReadError(kind: error.kind, message: error.description)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReadError(kind: .data, message: "\(path): not UTF-8 text")
        }
        return try parse(text, source: path)
    }

    /// A cell as quoted in a message: at most 40 characters, so that a huge cell keeps it one short line.
    static func excerpt(_ cell: String) -> String {
        cell.count > 40 ? cell.prefix(40) + "... (\(cell.utf8.count) bytes)" : cell
    }

    /// Parses CSV text with a header row; every other cell must be a finite number, written whole
    /// (``NumberText``: a NUL byte or text after the number is an error, not a shorter number).
    public static func parse(_ text: String, source: String) throws(ReadError) -> NumericTable {
        let records: [CSV.Record]
        do {
            records = try CSV.parse(text)
        } catch {
            throw ReadError(kind: .data, message: "\(source): \(error.description)")
        }
        guard let header = records.first else {
            throw ReadError(kind: .data, message: "\(source): empty file, expected a header row")
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        if let blank = names.firstIndex(of: "") {
            throw ReadError(kind: .data, message: "\(source): column \(blank + 1) of the header has no name")
        }
        if let duplicate = names.enumerated().first(where: { names[..<$0.offset].contains($0.element) }) {
            throw ReadError(kind: .data, message: "\(source): column '\(duplicate.element)' appears twice in the header")
        }
        var rows: [[Double]] = []
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                throw ReadError(kind: .data, message: "\(source) line \(record.line): \(record.fields.count) fields, the header has \(names.count)")
            }
            var row: [Double] = []
            for (column, field) in record.fields.enumerated() {
                let cell = field.trimmingCharacters(in: .whitespaces)
                guard let value = NumberText.double(cell) else {
                    throw ReadError(kind: .data, message: "\(source) line \(record.line), column '\(names[column])': '\(Self.excerpt(cell))' is not a number")
                }
                guard value.isFinite else {
                    throw ReadError(kind: .data, message: "\(source) line \(record.line), column '\(names[column])': \(Self.excerpt(cell)) is not finite")
                }
                row.append(value)
            }
            rows.append(row)
        }
        return NumericTable(columnNames: names, rows: rows)
    }

    /// The values of the named column.
    public func column(_ name: String) -> [Double]? {
        columnNames.firstIndex(of: name).map { index in rows.map { $0[index] } }
    }
}
