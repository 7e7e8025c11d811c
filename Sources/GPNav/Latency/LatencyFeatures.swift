import MobileViT

/// What the latency model reads of an architecture: terms of the exact layer walk that counts its
/// MACs (``CostModel/breakdown(of:convention:)``), one list per family.
///
/// The terms are a constant (fixed costs per forward pass), the MACs of each stage of the network
/// (the first part of a layer's name: `stem`, `stage1` ... `head`), since a MAC costs more time
/// where maps are large and channels few than where they are small and channels many, and the
/// elements of every layer's output (the memory traffic and the element-wise work that MACs do
/// not count: normalisation, activations, softmax). On 100 architectures measured with ONNX Runtime
/// (Experiments/latency), per-stage MACs predicted CPU time within +/-10 % for 85-89 % of held-out
/// architectures, total MACs for 73-76 %.
public struct LatencyFeatures: Sendable, Hashable {
    /// The family the terms are of.
    public let familyName: String
    /// The stages in network order, as the family's walk names them.
    public let stages: [String]

    /// The terms of `family`, its stages read from the walk of its base network.
    public init(family: any ArchitectureFamily) throws(ArchitectureError) {
        familyName = family.name
        var stages: [String] = []
        for layer in CostModel.breakdown(of: try family.baseArchitecture()) {
            let stage = Self.stage(of: layer.name)
            if !stages.contains(stage) { stages.append(stage) }
        }
        self.stages = stages
    }

    /// The terms' names, in the order of ``values(of:)``: `constant`, `macs_<stage>` ...,
    /// `output_elements`.
    public var names: [String] { ["constant"] + stages.map { "macs_\($0)" } + ["output_elements"] }

    /// `architecture`'s terms, in the order of ``names``; nil for an architecture of another family
    /// or one whose walk has a stage the family's base network lacks.
    public func values(of architecture: Architecture) -> [Double]? {
        guard architecture.familyName == familyName else { return nil }
        var values = [Double](repeating: 0, count: stages.count + 2)
        values[0] = 1
        for layer in CostModel.breakdown(of: architecture) {
            guard let index = stages.firstIndex(of: Self.stage(of: layer.name)) else { return nil }
            values[index + 1] += Double(layer.macs)
            values[stages.count + 1] += Double(layer.outputShape.reduce(1, *))
        }
        return values
    }

    private static func stage(of layerName: String) -> String {
        String(layerName.prefix { $0 != "." })
    }
}
