import Foundation

/// The result line a training command prints on stdout: a JSON object such as
/// `{"accuracy": 71.3, "loss": 1.2}`. The last such line that has an `accuracy` key counts.
///
/// Lines are read by ``StrictJSON``: exactly JSON, no duplicate keys, no `NaN` or hexadecimal,
/// nothing after the object, so that a line every JSON reader agrees on is the only one believed.
struct TrainingReport: Sendable {
    /// One value of the object; only numbers become metrics.
    enum Value: Equatable, Sendable {
        case number(Double)
        case string(String)
        case other

        init(_ value: StrictJSON.Value) {
            switch value {
            case .number(let number): self = .number(number)
            case .string(let text): self = .string(text)
            case .bool, .null, .nested: self = .other
            }
        }
    }

    var fields: [String: Value]

    /// The line as a report; nil when it does not look like a JSON object (it does not start with
    /// `{` and end with `}`), a syntax error when it looks like one but is not strict JSON.
    static func parse(line: ArraySlice<UInt8>) -> Result<TrainingReport, StrictJSON.SyntaxError>? {
        var bytes = line
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0d { bytes = bytes.dropLast() }
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
        do {
            return .success(TrainingReport(fields: try StrictJSON.object(bytes).mapValues(Value.init)))
        } catch {
            return .failure(error)
        }
    }

    /// Whether a line mentions the key `name` (quoted), so that a broken line meant as the result
    /// or as an intermediate report is reported rather than skipped.
    static func mentions(_ name: String, in line: ArraySlice<UInt8>) -> Bool {
        let key = Array("\"\(name)\"".utf8)
        guard line.count >= key.count else { return false }
        var start = line.startIndex
        while start <= line.endIndex - key.count {
            if line[start..<(start + key.count)].elementsEqual(key) { return true }
            start += 1
        }
        return false
    }

    /// The accuracy and other numeric metrics, or why the report is unusable.
    func result(output: String) -> Result<EvaluationResult, EvaluationFailure> {
        let reported: Double
        switch fields["accuracy"] {
        case .number(let value):
            reported = value
        case .string(let text):
            return .failure(EvaluationFailure(
                reason: "reported accuracy \"\(text.prefix(40))\" is not a number (need a finite percentage in 0...100)",
                output: output))
        case .other, nil:
            return .failure(EvaluationFailure(
                reason: "reported accuracy is not a number (need a finite percentage in 0...100)", output: output))
        }
        guard reported.isFinite else {
            return .failure(EvaluationFailure(
                reason: "reported accuracy \(reported) is not finite (need a finite percentage in 0...100)", output: output))
        }
        guard (0...100).contains(reported) else {
            return .failure(EvaluationFailure(
                reason: "reported accuracy \(reported) is outside 0...100 (percent expected)", output: output))
        }
        var metrics: [String: Double] = [:]
        for (key, value) in fields where key != "accuracy" {
            if case .number(let number) = value, number.isFinite { metrics[key] = number }
        }
        return .success(EvaluationResult(accuracy: reported, metrics: metrics, output: output))
    }
}
