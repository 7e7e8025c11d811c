import GPNav

/// A plain-text table for terminals: a header, a rule, and columns padded to their widest cell.
struct TextTable {
    enum Alignment { case left, right }

    var header: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []

    init(header: [String], alignments: [Alignment]? = nil) {
        self.header = header
        self.alignments = alignments ?? Array(repeating: .left, count: header.count)
    }

    /// Adds a row; its cells are escaped for the terminal (see ``TerminalText``) before measuring.
    mutating func append(_ row: [String]) { rows.append(row.map(TerminalText.escaped)) }

    /// The table as text, ending in a newline. Time and memory are linear in the cells' length
    /// (a backtracking pattern to trim lines was quadratic in a long cell).
    func render() -> String {
        let widths = header.indices.map { column in
            ([header] + rows).map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            header.indices.map { column -> String in
                let cell = column < cells.count ? cells[column] : ""
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return alignments[column] == .right ? padding + cell : cell + padding
            }
            .joined(separator: "  ")
            .trimmingTrailingSpaces()
        }
        var text = line(header) + "\n"
        text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { text += line(row) + "\n" }
        return text
    }
}

extension String {
    /// The string without the spaces at its end, found by one backward scan.
    func trimmingTrailingSpaces() -> String {
        var end = endIndex
        while end > startIndex {
            let previous = index(before: end)
            guard self[previous] == " " else { break }
            end = previous
        }
        return String(self[..<end])
    }
}
