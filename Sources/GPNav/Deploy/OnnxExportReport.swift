/// What `python -m gpnav_torch.export` reported on stdout: the last line that is a JSON object
/// with an `onnx` key, e.g. `{"onnx": "t.onnx", "opset": 17, "max_abs_diff": 1.1e-06,
/// "limit": 0.0001, "passed": true, ...}`.
public struct OnnxExportReport: Sendable, Hashable {
    /// The file written.
    public var path: String
    public var opset: Int
    /// The largest |ONNX Runtime - PyTorch| over the logits of the check.
    public var maxAbsDiff: Double
    /// The most the check allowed.
    public var limit: Double
    /// The trained weights exported; nil for the exporter's seeded random initial weights.
    public var weights: String?

    public init(path: String, opset: Int, maxAbsDiff: Double, limit: Double, weights: String? = nil) {
        self.path = path
        self.opset = opset
        self.maxAbsDiff = maxAbsDiff
        self.limit = limit
        self.weights = weights
    }

    /// The report of a strict-JSON line's members.
    /// (Whether the check passed is the command's exit status: it exits 1 and removes the file
    /// when it did not.)
    /// - Throws: ``OnnxExportError/exportFailed(_:)`` naming the key at fault.
    init(fields: [String: TrainingReport.Value]) throws(OnnxExportError) {
        func number(_ key: String) throws(OnnxExportError) -> Double {
            guard case .number(let value) = fields[key], value.isFinite, value >= 0 else {
                throw .exportFailed("the report's \"\(key)\" is missing or not a number of at least 0")
            }
            return value
        }
        guard case .string(let path) = fields["onnx"] else { throw .exportFailed("the report's \"onnx\" is not a path") }
        let opset = try number("opset")
        guard opset == opset.rounded(), opset < 1000 else { throw .exportFailed("the report's \"opset\" is not an opset") }
        self.init(path: path, opset: Int(opset), maxAbsDiff: try number("max_abs_diff"), limit: try number("limit"))
    }
}

/// Reads the export's stdout line by line: the last JSON object line with an `"onnx"` key counts;
/// such a line that is not strict JSON replaces any earlier one.
struct OnnxExportLines: StdoutLineReader {
    private var last: Result<OnnxExportReport, OnnxExportError>?
    private static let key = Array("\"onnx\"".utf8)

    mutating func read(_ line: StdoutLine) {
        switch line {
        case .text(let bytes):
            guard bytes.firstRange(of: Self.key) != nil else { return }
            switch TrainingReport.parse(line: bytes) {
            case nil: return
            case .success(let report):
                last = Result { () throws(OnnxExportError) in try OnnxExportReport(fields: report.fields) }
            case .failure(let error):
                last = .failure(.exportFailed("the last line with \"onnx\" is not valid JSON: \(error)"))
            }
        case .overlong(let number, _, _):
            last = .failure(.exportFailed("stdout line \(number) is too long to read"))
        }
    }

    /// The report, or why there is none.
    var report: Result<OnnxExportReport, OnnxExportError> {
        last ?? .failure(.exportFailed("printed no JSON line with \"onnx\" on stdout"))
    }
}
