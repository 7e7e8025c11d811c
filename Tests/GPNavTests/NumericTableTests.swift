import Testing
@testable import GPNav

struct NumericTableTests {
    @Test func parsesHeaderAndNumbersIncludingQuotedAndExponentCells() throws {
        let table = try NumericTable.parse("a, b ,\"c\"\n1,2.5e-3,\"-4\"\r\n0,1,2\n", source: "t.csv")
        #expect(table.columnNames == ["a", "b", "c"])
        #expect(table.rows == [[1, 0.0025, -4], [0, 1, 2]])
        #expect(table.column("b") == [0.0025, 1])
        #expect(table.column("z") == nil)
    }

    @Test(arguments: [
        ("a,b\n1,x\n", "t.csv line 2, column 'b': 'x' is not a number"),
        ("a,b\n1,nan\n", "t.csv line 2, column 'b': nan is not finite"),
        ("a,b\n1\n", "t.csv line 2: 1 fields, the header has 2"),
        ("a,a\n1,2\n", "t.csv: column 'a' appears twice in the header"),
        ("", "t.csv: empty file, expected a header row"),
    ])
    func badTablesAreDataErrorsNamingTheCell(_ text: String, _ message: String) {
        #expect(throws: NumericTable.ReadError(kind: .data, message: message)) {
            try NumericTable.parse(text, source: "t.csv")
        }
    }

    @Test func missingFileIsNotFound() {
        #expect(throws: NumericTable.ReadError(kind: .notFound, message: "/nonexistent/t.csv: no such file")) {
            try NumericTable.load(path: "/nonexistent/t.csv")
        }
    }
}
