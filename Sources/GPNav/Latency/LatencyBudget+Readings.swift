import Foundation

extension LatencyBudget {
    /// Reads one architecture with `read` until its readings decide, and returns them as one
    /// measurement with the number of readings taken: the rule by which `gpnav search --latency`
    /// and a measure-only worker (`gpnav worker --measure-only`) both judge a fresh reading.
    ///
    /// A reading that only the margin refuses (``readsAgain(_:readings:)``: its median is within
    /// the budget) is read again, up to ``maxReadings`` readings in all, and the readings are
    /// judged as one (``LatencyMeasurement/repeated(_:_:)``: their median, with the margin a
    /// repeated reading narrows and their disagreement widens). The result is what is stored and
    /// judged by ``admits(_:)``; it may still be refused.
    ///
    /// - Throws: the first reading's error as it is; a later reading's as
    ///   ``LatencyError/repeatedReadingFailed(reading:previousMs:maxMs:_:)``, so that a command that
    ///   measured an architecture once and then could not is a failed measurement that says so,
    ///   never a decision quietly taken on fewer readings than the rule asks for.
    public func judgedMeasurement(
        reading read: () async throws(LatencyError) -> LatencyMeasurement
    ) async throws(LatencyError) -> (measurement: LatencyMeasurement, readings: Int) {
        let first = try await read()
        var more: [LatencyMeasurement] = []
        var measurement = first
        while readsAgain(measurement, readings: 1 + more.count) {
            do throws(LatencyError) {
                more.append(try await read())
            } catch {
                throw .repeatedReadingFailed(reading: 2 + more.count, previousMs: measurement.latencyMs, maxMs: maxMs, error)
            }
            measurement = LatencyMeasurement.repeated(first, more)
        }
        return (measurement, 1 + more.count)
    }
}
