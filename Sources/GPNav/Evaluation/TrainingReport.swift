import Foundation

/// The result line a training command prints on stdout: a JSON object such as
/// `{"accuracy": 71.3, "loss": 1.2}`. The last such line that has an `accuracy` key counts.
struct TrainingReport {
    /// One value of the object; only numbers become metrics.
    enum Value: Decodable, Equatable {
        case number(Double)
        case string(String)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if (try? container.decode(Bool.self)) != nil {
                self = .other
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let text = try? container.decode(String.self) {
                self = .string(text)
            } else {
                self = .other
            }
        }
    }

    var fields: [String: Value]

    /// The line as a JSON object, or nil when it is not one.
    static func parse(line: ArraySlice<UInt8>) -> TrainingReport? {
        var bytes = line
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0d { bytes = bytes.dropLast() }
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
        if let fields = try? JSONDecoder().decode([String: Value].self, from: Data(bytes)) {
            return TrainingReport(fields: fields)
        }
        // Python's json.dumps writes NaN and Infinity, which JSON lacks but JSON5 has: read them,
        // so that a diverged training run fails with "not finite" rather than "no JSON line".
        let lenient = JSONDecoder()
        lenient.allowsJSON5 = true
        guard let fields = try? lenient.decode([String: Value].self, from: Data(bytes)) else { return nil }
        return TrainingReport(fields: fields)
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
