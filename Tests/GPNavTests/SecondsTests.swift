import Foundation
import Testing
@testable import GPNav

/// Durations from outside are checked once: finite, positive (or zero where allowed), at most a
/// year, and then convert without trapping.
@Suite struct SecondsTests {
    @Test(arguments: [1e20, -1, 0, .nan, .infinity, -.infinity, 31_536_001, 4.2e19])
    func valuesNoClockCanHoldAreRefused(value: Double) {
        #expect(throws: SecondsError.self) { try Seconds(value) }
    }

    @Test func zeroIsAllowedWhereAskedFor() throws {
        #expect(try Seconds(0, allowingZero: true).value == 0)
        #expect(throws: SecondsError.self) { try Seconds(-0.5, allowingZero: true) }
    }

    @Test func theLargestAllowedValueConvertsToADurationAndAnInterval() throws {
        let year = try Seconds(Seconds.maximum)
        #expect(year.duration == .seconds(31_536_000))
        #expect(Date(timeIntervalSince1970: 0).addingTimeInterval(year.timeInterval).timeIntervalSince1970 == 31_536_000)
    }

    @Test(arguments: ["1e20", "120\u{0}", "12x", "nan", ""])
    func textThatIsNotASpanIsRefusedWithItsText(text: String) {
        #expect(throws: SecondsError.self) { try Seconds(parsing: text) }
    }

    @Test(arguments: [("90", 90.0), ("90s", 90), ("30m", 1_800), ("2h", 7_200), ("1.5d", 129_600), (" 2h ", 7_200)])
    func aSpanReadsItsUnit(text: String, seconds: Double) throws {
        #expect(try Seconds(parsingSpan: text).value == seconds)
    }

    @Test(arguments: ["2w", "h", "-1h", "0m", "366d", "nanh", "1e20s", ""])
    func aSpanWithoutAKnownUnitOrOutOfRangeIsRefused(text: String) {
        #expect(throws: SecondsError.self) { try Seconds(parsingSpan: text) }
    }

    @Test func aSpanIsWrittenInItsLargestWholeUnit() throws {
        #expect(try Seconds(parsingSpan: "2h").spanText == "2h")
        #expect(try Seconds(parsingSpan: "90m").spanText == "90m")
        #expect(try Seconds(parsingSpan: "1d").spanText == "1d")
        #expect(try Seconds(parsingSpan: "45").spanText == "45s")
        #expect(try Seconds(parsingSpan: "0.5").spanText == "0.5s")
    }

    @Test func clampingBringsAnyValueIntoRange() {
        #expect(Seconds(clamping: 1e300).value == Seconds.maximum)
        #expect(Seconds(clamping: -5).value == 0)
        #expect(Seconds(clamping: .nan).value == 0)
    }
}
