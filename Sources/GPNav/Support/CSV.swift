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

    /// Records as CSV text, one per line, LF-terminated; every field is first neutralised (see
    /// ``neutralised(_:)``) and then quoted as needed.
    public static func format(header: [String], rows: [[String]]) -> String {
        func field(_ text: String) -> String { escape(neutralised(text)) }
        var text = header.map(field).joined(separator: ",") + "\n"
        for row in rows {
            text += row.map(field).joined(separator: ",") + "\n"
        }
        return text
    }

    /// The characters that make a spreadsheet read a cell as a formula when it starts with one.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// `field` safe to open in a spreadsheet: text that starts with `=`, `+`, `-`, `@`, tab or CR
    /// gets a `'` in front, so that it is shown as text and never run as a formula (CSV
    /// injection). A number (`-1.5`, `+2e-3`) stays as it is. Text that already starts with `'`
    /// before such a character gets one more, so that ``restored(_:)`` undoes exactly this.
    public static func neutralised(_ field: String) -> String {
        guard let first = field.unicodeScalars.first(where: { $0 != "'" }), formulaStarts.contains(first),
              !isNumber(field) else { return field }
        return "'" + field
    }

    /// The inverse of ``neutralised(_:)``: one leading `'` removed where it neutralised a cell
    /// (the rest, after its leading quotes, starts with a formula character); other text as it is.
    public static func restored(_ field: String) -> String {
        guard field.hasPrefix("'"), let first = field.unicodeScalars.first(where: { $0 != "'" }),
              formulaStarts.contains(first) else { return field }
        return String(field.dropFirst())
    }

    /// Whether `field` is a plain decimal number: digits, sign, point and exponent only.
    private static func isNumber(_ field: String) -> Bool {
        field.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || "+-.eE".unicodeScalars.contains($0) }
            && Double(field) != nil
    }
}
