import Foundation

/// The reason a measure-only worker gives when its latency command could not measure an
/// architecture: one line, bounded, so that a report cannot make the failed trial it becomes (and
/// every later read of its study) large.
public enum MeasurementFailureReason {
    /// Characters (Unicode scalars, as JSON Schema's `maxLength` counts) of a reported reason.
    public static let maxLength = 1024

    /// `reason` as a worker sends it: its lines joined by spaces, cut to ``maxLength`` characters
    /// (the last three of them "..." when cut); "no reason given" for an empty one.
    public static func bounded(_ reason: String) -> String {
        let line = reason.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        let scalars = line.unicodeScalars.filter { $0.properties.generalCategory != .control }
        guard !scalars.isEmpty else { return "no reason given" }
        guard scalars.count > maxLength else { return String(String.UnicodeScalarView(scalars)) }
        return String(String.UnicodeScalarView(scalars.prefix(maxLength - 3))) + "..."
    }

    /// Checks a reported reason: not empty, one line without control characters, at most ``maxLength``.
    /// - Throws: ``LatencyError/invalidFailureReport(_:)``.
    public static func validate(_ reason: String) throws(LatencyError) {
        let count = reason.unicodeScalars.count
        guard count > 0, !reason.allSatisfy(\.isWhitespace) else { throw .invalidFailureReport("the error is empty") }
        guard count <= maxLength else {
            throw .invalidFailureReport("the error has \(count) characters, at most \(maxLength) are kept")
        }
        guard !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidFailureReport("the error must be one line without control characters")
        }
    }
}
