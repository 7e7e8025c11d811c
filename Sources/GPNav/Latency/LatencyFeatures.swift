import MobileViT

/// What the latency model reads of an architecture: terms of the exact layer walk that counts its
/// MACs (``CostModel/breakdown(of:convention:)``), one list per family.
///
/// The terms are a constant (fixed costs per forward pass); the MACs of each stage of the network
/// (the first part of a layer's name: `stem`, `stage1` ... `head`), since a MAC costs more time
/// where maps are large and channels few than where they are small and channels many; the
/// elements of every layer's output (the memory traffic and the element-wise work that MACs do
/// not count: normalisation, activations, softmax); and two counts of blocks, inverted residuals
/// (`stageS.blockK.*`, `stageS.mv2.*`) and attention layers (`stageS.mobilevit.layerK.*`), for
/// the fixed cost of launching each of their operators, which MACs and elements leave out and
/// which dominates the smallest networks; and the parameters, the weights every inference reads
/// from memory once, which MACs leave out where a weight is reused over few positions (low
/// resolutions, the later stages, the classifier). On 300 architectures measured on a quiet
/// machine with ONNX Runtime (Experiments/latency/RESULTS.md), the fit gave each attention layer
/// 0.019 to 0.033 ms beyond its MACs and elements (and inverted residuals 0: their MACs cover
/// them), and each parameter about 1.7e-7 ms (4 bytes at about 24 GB/s), which raised the held-out
/// share within +/-10 % most for networks under 4 ms; counts of layers, norms or attention
/// operators, and elements split by tensor size, added nothing there.
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
    /// `output_elements`, `inverted_residuals`, `attention_layers`, `params`.
    public var names: [String] {
        ["constant"] + stages.map { "macs_\($0)" } + ["output_elements", "inverted_residuals", "attention_layers", "params"]
    }

    /// `architecture`'s terms, in the order of ``names``; nil for an architecture of another family
    /// or one whose walk has a stage the family's base network lacks.
    public func values(of architecture: Architecture) -> [Double]? {
        guard architecture.familyName == familyName else { return nil }
        let elements = stages.count + 1
        var values = [Double](repeating: 0, count: stages.count + 5)
        values[0] = 1
        var lastBlock: Substring?
        for layer in CostModel.breakdown(of: architecture) {
            guard let index = stages.firstIndex(of: Self.stage(of: layer.name)) else { return nil }
            values[index + 1] += Double(layer.macs)
            values[elements] += Double(layer.outputShape.reduce(1, *))
            values[elements + 3] += Double(layer.params)
            // A block's layers are consecutive in the walk, so a block is counted at its first layer.
            guard let (block, kind) = Self.block(of: layer.name), block != lastBlock else { continue }
            lastBlock = block
            values[elements + 1 + kind] += 1
        }
        return values
    }

    private static func stage(of layerName: String) -> String {
        String(layerName.prefix { $0 != "." })
    }

    /// The block a layer belongs to (its name without the last part) and its kind, 0 for an
    /// inverted residual, 1 for an attention layer; nil for a layer of neither (the stem, a
    /// MobileViT block's own convolutions and norm, the head).
    private static func block(of layerName: String) -> (Substring, Int)? {
        let parts = layerName.split(separator: ".")
        guard let last = parts.last else { return nil }
        let block = layerName.dropLast(last.count + 1)
        if parts.count == 3, parts[1].hasPrefix("block") || parts[1] == "mv2" { return (block, 0) }
        if parts.count == 4, parts[1] == "mobilevit", parts[2].hasPrefix("layer") { return (block, 1) }
        return nil
    }
}
