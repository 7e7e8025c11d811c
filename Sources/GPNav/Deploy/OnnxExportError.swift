/// Why a network could not be exported as ONNX.
public enum OnnxExportError: UserFacingError, Sendable, Hashable {
    /// The interpreter could not be run (the shell found no such command or file).
    case interpreterNotFound(python: String)
    /// The interpreter runs, but cannot import a module the export needs (`gpnav_torch`, `torch`,
    /// `onnx`, `onnxruntime`).
    case moduleMissing(module: String, python: String)
    /// The export ran and failed, or its model disagreed with PyTorch: why, in one line.
    case exportFailed(String)

    public var description: String {
        switch self {
        case .interpreterNotFound(let python): "ONNX export: no Python interpreter '\(python)' could be run"
        case .moduleMissing(let module, let python):
            "ONNX export: the Python side is not installed: '\(python)' cannot import \(module)"
        case .exportFailed(let reason): "ONNX export: \(reason)"
        }
    }

    public var kind: FailureKind {
        switch self {
        case .interpreterNotFound, .moduleMissing: .notFound
        case .exportFailed: .evaluation
        }
    }
}
