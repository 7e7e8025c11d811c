/// Why a set of factors does not describe a buildable network of a family.
public enum ArchitectureError: Error, Equatable, Sendable, CustomStringConvertible {
    case resolution(Int)
    case width(Double)
    case depth(Int)
    case depthMultiplier(Double)
    case stageCount(kind: String, expected: Int, got: Int)
    case classes(Int)
    case choice(name: String, value: Int, allowed: [Int])
    case choiceLabel(name: String, text: String, labels: [String])
    case unknownPart(String, family: String)
    case invalidNetwork(String)
    case unsupportedConvention(String, family: String)
    case unknownPreset(String)
    case unknownFamily(String)
    case malformedJSON(String)

    public var description: String {
        switch self {
        case .resolution(let r):
            "resolution \(r) is invalid: it must be an even number of pixels from \(Architecture.resolutionRange.lowerBound) to \(Architecture.resolutionRange.upperBound)"
        case .width(let w):
            "width multiplier \(w) is invalid: it must be from \(Architecture.widthRange.lowerBound) to \(Architecture.widthRange.upperBound)"
        case .depth(let d):
            "depth \(d) is invalid: each stage needs from \(Architecture.depthRange.lowerBound) to \(Architecture.depthRange.upperBound) blocks"
        case .depthMultiplier(let m):
            "depth multiplier \(m) is invalid: it must be greater than 0 and at most 16"
        case .stageCount(let kind, let expected, let got):
            "\(kind) depths need \(expected) values (one per stage), got \(got)"
        case .classes(let k):
            "class count \(k) is invalid: it must be from \(Architecture.classRange.lowerBound) to \(Architecture.classRange.upperBound)"
        case .choice(let name, let value, let allowed):
            "\(name) \(value) is invalid: it must be one of \(allowed.map(String.init).joined(separator: ", "))"
        case .choiceLabel(let name, let text, let labels):
            "\(name) '\(text)' is invalid: it must be one of \(labels.joined(separator: ", "))"
        case .invalidNetwork(let reason):
            reason
        case .unsupportedConvention(let convention, let family):
            "architecture family \(family) is not counted under the \(convention) convention"
        case .unknownPart(let name, let family):
            "architecture family \(family) has no '\(name)'"
        case .unknownPreset(let name):
            "unknown model '\(name)': expected one of \(Preset.all.map(\.name).joined(separator: ", "))"
        case .unknownFamily(let name):
            "unknown architecture family '\(name)': expected one of \(ArchitectureFamilies.names.joined(separator: ", "))"
        case .malformedJSON(let start):
            "not an architecture in canonical JSON: \(start)"
        }
    }
}
