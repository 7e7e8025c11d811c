/// What a training command's stdout said about its result, read line by line as it runs.
///
/// The last line that is a JSON object with an `accuracy` key counts. A line that names
/// `"accuracy"` but cannot be believed (not strict JSON, or longer than
/// ``ProcessRunner/maxLineLength``) replaces any earlier result, so that a bad last line never
/// lets an older one count; the trial then fails with the reason.
struct ResultLines {
    private var report: TrainingReport?
    /// Why the last line meant as the result cannot be used.
    private var invalid: String?
    private var sawJSON = false
    /// The last line over the length bound that did not name the accuracy: number and bytes.
    private var skipped: (number: Int, bytes: Int)?

    mutating func read(_ line: StdoutLine) {
        switch line {
        case .text(let bytes):
            switch TrainingReport.parse(line: bytes) {
            case nil:
                return
            case .success(let parsed):
                sawJSON = true
                if parsed.fields["accuracy"] != nil { (report, invalid) = (parsed, nil) }
            case .failure(let error):
                sawJSON = true
                if TrainingReport.mentionsAccuracy(bytes) {
                    (report, invalid) = (nil, "the last JSON line with an \"accuracy\" key is not valid JSON: \(error)")
                }
            }
        case .overlong(let number, let bytes, let mentionsAccuracy):
            if mentionsAccuracy {
                (report, invalid) = (nil, "stdout line \(number), which has an \"accuracy\" key, is \(Self.size(bytes)) long, "
                                     + "over the \(Self.size(ProcessRunner.maxLineLength)) a line may have; it was not read")
            } else {
                skipped = (number, bytes)
            }
        }
    }

    /// The accuracy and metrics, or why there are none.
    func result(output: String) -> Result<EvaluationResult, EvaluationFailure> {
        if let report { return report.result(output: output) }
        if let invalid { return .failure(EvaluationFailure(reason: invalid, output: output)) }
        var reason = sawJSON
            ? "no JSON line on stdout has an \"accuracy\" key (print e.g. {\"accuracy\": 71.3})"
            : "printed no JSON line on stdout (print e.g. {\"accuracy\": 71.3} as the last line)"
        if let skipped {
            reason += "; stdout line \(skipped.number) (\(Self.size(skipped.bytes))) was over the "
                + "\(Self.size(ProcessRunner.maxLineLength)) a line may have and was not read"
        }
        return .failure(EvaluationFailure(reason: reason, output: output))
    }

    /// A byte count in MiB (one decimal unless whole), or KiB below one MiB.
    private static func size(_ bytes: Int) -> String {
        guard bytes >= 1 << 20 else { return "\(bytes >> 10) KiB" }
        guard bytes % (1 << 20) != 0 else { return "\(bytes >> 20) MiB" }
        return "\((Double(bytes) / 1_048_576 * 10).rounded() / 10) MiB"
    }
}
