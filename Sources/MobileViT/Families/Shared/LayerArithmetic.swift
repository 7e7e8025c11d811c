/// The cost rules every family's walk shares: one convolution's MACs and parameters, and the
/// dotted layer names of the MobileViT stages.
enum LayerArithmetic {
    /// A convolution (or a linear layer over `positions` tokens): k^2 Cin Cout / groups MACs per
    /// output position, Cout more per position with a bias. BatchNorm adds 2 Cout parameters
    /// (its inference-time scale and shift cost no MAC under the published conventions).
    @inline(__always)
    static func convolution(kernel k: Int, in cin: Int, out cout: Int, groups: Int = 1, positions: Int,
                            bias: Bool = false, batchNorm: Bool = false) -> (macs: Int, params: Int) {
        let weights = k * k * cin * cout / groups
        var macs = weights * positions
        var params = weights
        if bias {
            macs += cout * positions
            params += cout
        }
        if batchNorm { params += 2 * cout }
        return (macs, params)
    }

    /// `stage3.block0.expand` for MV2 block `block` of a stage, `stage3.mv2.expand` for the
    /// stride-2 MV2 block that opens a stage with a MobileViT block (`block` nil).
    static func blockName(_ stage: Int, _ block: Int?, _ part: String) -> String {
        if let block { return "stage\(stage).block\(block).\(part)" }
        return "stage\(stage).mv2.\(part)"
    }

    /// `stage3.mobilevit.layer0.qkv`: a part of transformer layer `layer` of a stage's MobileViT block.
    static func layerName(_ stage: Int, _ layer: Int, _ part: String) -> String {
        "stage\(stage).mobilevit.layer\(layer).\(part)"
    }
}
