/// Exact MAC and parameter counts of architectures of any family: each architecture is counted
/// by its own family (``ArchitectureFamily/cost(of:convention:)``).
///
/// See ``CountingConvention`` for what a MAC count includes. Under `.published`, MobileViTv2-1.0
/// at 256x256 counts 1,815,142,568 MACs and 4,901,841 parameters.
///
/// ``cost(of:convention:)`` is the fast path for search (no allocation); ``breakdown(of:convention:)``
/// lists every layer, and its sums equal ``cost(of:convention:)`` exactly.
public enum CostModel {
    /// Total MACs and parameters of `architecture`. Allocates nothing.
    public static func cost(of architecture: Architecture, convention: CountingConvention = .published) -> Cost {
        architecture.family.cost(of: architecture, convention: convention)
    }

    /// Checks that `architecture`'s family counts under `convention`.
    /// - Throws: ``ArchitectureError/unsupportedConvention(_:family:)``.
    public static func check(_ convention: CountingConvention, for architecture: Architecture) throws(ArchitectureError) {
        guard architecture.family.conventions.contains(convention) else {
            throw .unsupportedConvention(convention.rawValue, family: architecture.familyName)
        }
    }

    /// Every layer of `architecture` in network order, with output shape, MACs and parameters
    /// (layer names are the family's; see e.g. ``MobileViTv2Family``).
    public static func breakdown(of architecture: Architecture, convention: CountingConvention = .published) -> [LayerCost] {
        architecture.family.breakdown(of: architecture, convention: convention)
    }

    /// Every layer width a builder needs to construct `architecture` exactly, from the walk that
    /// ``cost(of:convention:)`` counts.
    public static func channelPlan(of architecture: Architecture) -> ArchitecturePlan {
        architecture.family.channelPlan(of: architecture)
    }
}
