import Testing
@testable import GPNav

@Suite struct CSVFormulaTests {
    @Test(arguments: [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\r=x", "'\r=x"),
        ("'=already quoted", "''=already quoted"),
        ("-", "'-"),
        ("-inf", "'-inf"),
    ])
    func textThatASpreadsheetWouldRunGetsAQuote(text: String, written: String) {
        #expect(CSV.neutralised(text) == written)
        #expect(CSV.restored(written) == text)
    }

    @Test(arguments: ["-1.5", "+2e-3", "-0", "70.25", "", "plain", "it's", "'quoted'", "a=b", "1,2"])
    func numbersAndHarmlessTextStayAsTheyAre(text: String) {
        #expect(CSV.neutralised(text) == text)
        #expect(CSV.restored(text) == text)
    }

    @Test func formattedCSVNeutralisesCellsAndParsesBackToTheSameText() throws {
        let rows = [["=1+1", "-1.5", "@x", "ok"], ["-", "+7", "'-y", "\t"]]
        let text = CSV.format(header: ["a", "b", "c", "d"], rows: rows)
        #expect(text.hasPrefix("a,b,c,d\n'=1+1,-1.5,'@x,ok\n"))
        let parsed = try CSV.parse(text).dropFirst().map { $0.fields.map(CSV.restored) }
        #expect(parsed == rows)
    }
}
