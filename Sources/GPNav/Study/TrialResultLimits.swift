/// How much one trial's result or failure may carry, so that one report cannot make every later
/// read of its study slow or the store large: a study is read whole for each of its trials' model
/// fits, status and exports. The bounds sit well above what a training command reports (a few
/// metrics; the 64 KiB output tail ``CommandEvaluator`` keeps, which its escapes of invalid UTF-8
/// and NUL bytes make at most six times longer in characters). Lengths count Unicode scalars, as
/// JSON Schema's `maxLength` does, so the API document can state them exactly.
public enum TrialResultLimits {
    /// Metrics per result, besides the accuracy.
    public static let maxMetricCount = 64
    /// Characters (Unicode scalars, as JSON Schema's `maxLength` counts) of a metric's name.
    public static let maxMetricNameLength = 64
    /// Characters (Unicode scalars) of the evaluator output kept with a trial.
    public static let maxOutputLength = 512 * 1024
    /// Characters (Unicode scalars) of a failure's reason.
    public static let maxReasonLength = 4 * 1024

    /// Checks the metrics and output of `result` against the bounds (the accuracy is checked by
    /// ``StudySession/tell(trial:result:)``).
    /// - Throws: ``StudyError/resultTooLarge(_:)`` naming the bound; ``StudyError/invalidMetric(name:)``
    ///   for a name that is empty or holds control characters, or a value that is not finite.
    public static func check(_ result: EvaluationResult) throws(StudyError) {
        guard result.metrics.count <= maxMetricCount else {
            throw .resultTooLarge("\(result.metrics.count) metrics, at most \(maxMetricCount) are kept")
        }
        for (name, value) in result.metrics {
            guard name.unicodeScalars.count <= maxMetricNameLength else {
                throw .resultTooLarge("metric name '\(name.prefix(20))...' is over \(maxMetricNameLength) characters")
            }
            guard !name.isEmpty, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw .invalidMetric(name: String(name.prefix(maxMetricNameLength)))
            }
            guard value.isFinite else { throw .invalidMetric(name: name) }
        }
        try check(output: result.output)
    }

    /// Checks a failure's reason and output against the bounds.
    public static func check(reason: String, output: String?) throws(StudyError) {
        guard reason.unicodeScalars.count <= maxReasonLength else {
            throw .resultTooLarge("reason of \(reason.unicodeScalars.count) characters, at most \(maxReasonLength)")
        }
        try check(output: output)
    }

    private static func check(output: String?) throws(StudyError) {
        if let output, output.unicodeScalars.count > maxOutputLength {
            throw .resultTooLarge("output of \(output.unicodeScalars.count) characters, at most \(maxOutputLength)")
        }
    }
}
