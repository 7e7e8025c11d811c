import MobileViT

/// Architecture errors come from command-line flags (factors, preset names): an unknown preset is
/// something named that does not exist, anything else is bad input.
extension ArchitectureError: UserFacingError {
    public var kind: FailureKind {
        if case .unknownPreset = self { return .notFound }
        return .usage
    }
}
