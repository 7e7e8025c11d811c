import Testing
@testable import GPNav

/// The bound on a measure-only worker's failure reason: the worker cuts what its command said to
/// one line of at most 1024 characters, and the server refuses anything else.
@Suite("Measurement failure reason")
struct MeasurementFailureReasonTests {
    @Test func aWorkerCutsItsReasonToOneLineWithinTheBoundThatTheServerAccepts() throws {
        let long = "latency command: exited with status 1:\n" + String(repeating: "é", count: 3000) + "\r\n\tend"
        let bounded = MeasurementFailureReason.bounded(long)
        #expect(bounded.unicodeScalars.count == MeasurementFailureReason.maxLength && bounded.hasSuffix("..."))
        #expect(bounded.hasPrefix("latency command: exited with status 1: éé"))
        try MeasurementFailureReason.validate(bounded)
        #expect(MeasurementFailureReason.bounded("two\nlines\u{7}") == "two lines")
        #expect(MeasurementFailureReason.bounded(" \n ") == "no reason given")
        let exact = String(repeating: "x", count: MeasurementFailureReason.maxLength)
        #expect(MeasurementFailureReason.bounded(exact) == exact, "a reason within the bound is kept whole")
    }

    @Test func theServerRefusesAnEmptyMultiLineOrOverLongReason() {
        for (reason, detail) in [("", "the error is empty"), ("  ", "the error is empty"),
                                 ("a\nb", "the error must be one line without control characters"),
                                 (String(repeating: "x", count: 1025), "the error has 1025 characters, at most 1024 are kept")] {
            #expect(throws: LatencyError.invalidFailureReport(detail)) { try MeasurementFailureReason.validate(reason) }
        }
    }
}
