/// Why a set of factors does not describe a buildable MobileViT v1 network.
public enum MobileViTv1Error: Error, Equatable, Sendable, CustomStringConvertible {
    case resolution(Int)
    case width(Double)
    case depth(Int)
    case stageCount(kind: String, expected: Int, got: Int)
    case expansion(Int)
    case classes(Int)
    case unknownPreset(String)

    public var description: String {
        typealias Network = MobileViTv1Network
        return switch self {
        case .resolution(let r):
            "resolution \(r) is invalid: it must be an even number of pixels from \(Network.resolutionRange.lowerBound) to \(Network.resolutionRange.upperBound)"
        case .width(let w):
            "width multiplier \(w) is invalid: it must be from \(Network.widthRange.lowerBound) to \(Network.widthRange.upperBound)"
        case .depth(let d):
            "depth \(d) is invalid: each stage needs from \(Network.depthRange.lowerBound) to \(Network.depthRange.upperBound) blocks or transformer layers"
        case .stageCount(let kind, let expected, let got):
            "\(kind) depths need \(expected) values (one per stage), got \(got)"
        case .expansion(let e):
            "MV2 expansion ratio \(e) is invalid: MobileViT v1 uses \(Network.expansions.map(String.init).joined(separator: " or "))"
        case .classes(let k):
            "class count \(k) is invalid: it must be from \(Network.classRange.lowerBound) to \(Network.classRange.upperBound)"
        case .unknownPreset(let name):
            "unknown MobileViT v1 model '\(name)': expected one of \(MobileViTv1Preset.all.map(\.name).joined(separator: ", "))"
        }
    }
}
