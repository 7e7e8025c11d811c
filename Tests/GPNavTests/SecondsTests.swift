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

    @Test func clampingBringsAnyValueIntoRange() {
        #expect(Seconds(clamping: 1e300).value == Seconds.maximum)
        #expect(Seconds(clamping: -5).value == 0)
        #expect(Seconds(clamping: .nan).value == 0)
    }
}
