/// What a training command's stdout said about its result, read line by line as it runs.
///
/// The last line that is a JSON object with an `accuracy` key and no `epoch` key counts. A line
/// that names `"accuracy"` but cannot be believed (not strict JSON, or longer than
/// ``ProcessRunner/maxLineLength``) replaces any earlier result, so that a bad last line never
/// lets an older one count; the trial then fails with the reason.
///
/// A JSON object with an `epoch` key is an intermediate report (``EpochReport``), handed back by
/// ``read(_:)`` as it arrives. The first one that cannot be believed (not strict JSON, an epoch
/// that is not a whole number, a repeated or decreasing epoch, an accuracy outside 0...100, an
/// epoch beyond the study's length) ends the curve: later reports are not handed on, and the trial
/// fails with the reason even if a result follows, since a curve that is wrong somewhere cannot be
/// trusted to tell the result either.
struct ResultLines: Sendable {
    /// The study's training length, which no reported epoch may pass; nil when unknown.
    let epochs: Int?
    private var report: TrainingReport?
    /// The last epoch handed on.
    private(set) var lastEpoch: Int?
    /// Why the curve ended early, with the stdout line at fault.
    private(set) var curveProblem: String?
    private var lineNumber = 0
    /// Why the last line meant as the result cannot be used.
    private var invalid: String?
    private var sawJSON = false
    /// The last line over the length bound that did not name the accuracy: number and bytes.
    private var skipped: (number: Int, bytes: Int)?

    init(epochs: Int? = nil) { self.epochs = epochs }

    /// Reads the next stdout line; returns the intermediate report it holds, if it is a valid one.
    mutating func read(_ line: StdoutLine) -> EpochReport? {
        lineNumber += 1
        switch line {
        case .text(let bytes):
            switch TrainingReport.parse(line: bytes) {
            case nil:
                return nil
            case .success(let parsed):
                sawJSON = true
                if parsed.fields["epoch"] != nil { return accept(parsed) }
                if parsed.fields["accuracy"] != nil { (report, invalid) = (parsed, nil) }
            case .failure(let error):
                sawJSON = true
                if TrainingReport.mentions("epoch", in: bytes) {
                    refuse("an intermediate report is not valid JSON: \(error)")
                } else if TrainingReport.mentions("accuracy", in: bytes) {
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
        return nil
    }

    /// The intermediate report `parsed`, or nil (and the curve ended) when it is not a valid next one.
    private mutating func accept(_ parsed: TrainingReport) -> EpochReport? {
        guard curveProblem == nil else { return nil }
        guard case .number(let epochValue) = parsed.fields["epoch"], let epoch = Int(exactly: epochValue) else {
            refuse("\"epoch\" is not a whole number of epochs")
            return nil
        }
        guard case .number(let accuracy) = parsed.fields["accuracy"] else {
            refuse("the report of epoch \(epoch) has no numeric \"accuracy\"")
            return nil
        }
        let report = EpochReport(epoch: epoch, accuracy: accuracy)
        if let problem = report.problem(after: lastEpoch, epochs: epochs) {
            refuse(problem)
            return nil
        }
        lastEpoch = epoch
        return report
    }

    private mutating func refuse(_ problem: String) {
        guard curveProblem == nil else { return }
        curveProblem = "stdout line \(lineNumber): \(problem); the learning curve was not read further"
    }

    /// The accuracy and metrics, or why there are none.
    func result(output: String) -> Result<EvaluationResult, EvaluationFailure> {
        if let curveProblem { return .failure(EvaluationFailure(reason: curveProblem, output: output)) }
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
