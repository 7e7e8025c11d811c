import Foundation
import Testing
@testable import GPNav

@Suite("Stored times")
struct StoreTimeTests {
    // Unix times checked against `date -u -d @T` (GNU coreutils).
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_000_000_000.0, "2001-09-09T01:46:40.000Z"),
        (1_700_000_000.5, "2023-11-14T22:13:20.500Z"),
        (951_782_400.0, "2000-02-29T00:00:00.000Z"),
        (1_763_683_199.9996, "2025-11-21T00:00:00.000Z"),
    ])
    func formatsUTCWithMilliseconds(seconds: Double, text: String) {
        #expect(StoreTime.text(Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test func parsesWhatItWritesAndWholeSeconds() throws {
        #expect(StoreTime.date("2023-11-14T22:13:20.500Z") == Date(timeIntervalSince1970: 1_700_000_000.5))
        #expect(StoreTime.date("2001-09-09T01:46:40Z") == Date(timeIntervalSince1970: 1_000_000_000))
        for text in ["", "2023-11-14", "2023-11-14 22:13:20.500Z", "2023-13-14T22:13:20.500Z", "2023-11-14T22:13:20.5x0Z"] {
            #expect(StoreTime.date(text) == nil, "\(text)")
        }
    }

    /// A lease of 1e20 seconds puts its cut-off before year 0: it is written as the first instant
    /// the format holds (and still sorts before every stored time), never a trap.
    @Test(arguments: [(-1e20, "0000-01-01T00:00:00.000Z"), (1e20, "9999-12-31T23:59:59.999Z"),
                      (-Double.infinity, "0000-01-01T00:00:00.000Z"), (Double.greatestFiniteMagnitude, "9999-12-31T23:59:59.999Z")])
    func datesOutsideTheFormatsYearsAreWrittenAsItsNearestEnd(seconds: Double, text: String) {
        #expect(StoreTime.text(Date(timeIntervalSince1970: seconds)) == text)
    }
}
