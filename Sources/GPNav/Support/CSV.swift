import Foundation

/// Comma-separated values as RFC 4180 defines them: fields separated by commas, records by
/// CRLF or LF, a field quoted with `"` when it holds a comma, quote, CR or LF, and `""` for a
/// quote inside a quoted field.
public enum CSV {
    /// Why a CSV text could not be read; `line` is 1-based, counting physical lines.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// One record with the physical line it starts on.
    public struct Record: Equatable, Sendable {
        public var line: Int
        public var fields: [String]
    }

    /// Parses `text` into records. Blank lines are skipped; a final newline is optional.
    /// - Throws: ``ParseError`` on a quote that is never closed or text right after a closing quote.
    public static func parse(_ text: String) throws(ParseError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var fieldWasQuoted = false
        var quoteOpenedOn = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let scalar = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        inQuotes = false
                        if let next, next != ",", next != "\n", next != "\r" {
                            throw ParseError(line: line, message: "unexpected text after a closing quote")
                        }
                        pending = next
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\"" where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
                quoteOpenedOn = line
            case "\"":
                throw ParseError(line: line, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
            case "\r":
                let next = iterator.next()
                if next != "\n" { pending = next }
                endRecord()
                line += 1
                recordLine = line
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes {
            throw ParseError(line: quoteOpenedOn, message: "a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }

    /// One field, quoted when it holds a comma, quote, CR or LF (or leading/trailing spaces).
    public static func escape(_ field: String) -> String {
        let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Records as CSV text, one per line, LF-terminated.
    public static func format(header: [String], rows: [[String]]) -> String {
        var text = header.map(escape).joined(separator: ",") + "\n"
        for row in rows {
            text += row.map(escape).joined(separator: ",") + "\n"
        }
        return text
    }
}
