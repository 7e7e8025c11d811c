import Testing
@testable import GPNav

/// Number text is read whole: `strtod` would stop at a NUL byte, NumberText refuses the cell.
@Suite struct NumberTextTests {
    @Test(arguments: [("50", 50.0), (" -1.5e3\t", -1500.0), ("+2", 2.0), ("0.125", 0.125), ("1e999", .infinity)])
    func decimalNumbersAreRead(text: String, value: Double) {
        #expect(NumberText.double(text) == value)
    }

    @Test(arguments: ["50\u{0}junk", "50\u{0}", "\u{0}50", "2\u{0} 9", "2 9", "50x", "0x1p3", "", " ", "1,5", "--1", "1e"])
    func textWithANulOrAnythingBesidesTheNumberIsNotANumber(text: String) {
        #expect(NumberText.double(text) == nil)
    }

    @Test func theWordsForNonFiniteValuesAreReadSoThatCallersCanSaySo() {
        #expect(NumberText.double("nan")?.isNaN == true)
        #expect(NumberText.double("-inf") == -.infinity)
        #expect(NumberText.double("Infinity") == .infinity)
        #expect(NumberText.double("nan\u{0}") == nil)
    }

    @Test(arguments: [("7", 7), (" -3 ", -3), ("+12", 12)])
    func wholeNumbersAreRead(text: String, value: Int) {
        #expect(NumberText.integer(text) == value)
    }

    @Test(arguments: ["7\u{0}", "7\u{0}1", "7.0", "1e3", "99999999999999999999", "", "7 1"])
    func anythingButAWholeNumberWithinIntIsRefused(text: String) {
        #expect(NumberText.integer(text) == nil)
    }
}
