/// Exact MAC and parameter counts of MobileViTv2 architectures.
///
/// The network is the reference MobileViTv2 (ml-cvnets `mobilevit_v2`) with the architecture's
/// resolution, width, per-stage depths and class count; see ``CountingConvention`` for what a
/// MAC count includes. Under `.published`, MobileViTv2-1.0 at 256x256 counts 1,815,142,568 MACs
/// and 4,901,841 parameters.
///
/// ``cost(of:convention:)`` is the fast path for search (no allocation); ``breakdown(of:convention:)``
/// lists every layer, and its sums equal ``cost(of:convention:)`` exactly.
public enum CostModel {
    /// Total MACs and parameters of `architecture`. Allocates nothing.
    public static func cost(of architecture: Architecture, convention: CountingConvention = .published) -> Cost {
        var walk = NetworkWalk(convention: convention, sink: TotalSink())
        walk.walk(architecture)
        return Cost(macs: walk.sink.macs, params: walk.sink.params)
    }

    /// Every layer of `architecture` in network order, with output shape, MACs and parameters.
    ///
    /// Layer names are dotted paths: `stem`; `stage1.block0.expand|depthwise|project` for the MV2
    /// blocks of stages 1 and 2; `stage3.mv2.*` for the stride-2 MV2 block opening stages 3 to 5;
    /// `stage3.mobilevit.resize` (only when an odd map is resized), `.local_depthwise`,
    /// `.local_project`, `.layerI.norm1|qkv|attention|out_project|norm2|ffn_expand|ffn_project`,
    /// `.norm`, `.fusion`; then `head.pool` and `head.classifier`.
    public static func breakdown(of architecture: Architecture, convention: CountingConvention = .published) -> [LayerCost] {
        var walk = NetworkWalk(convention: convention, sink: BreakdownSink())
        walk.walk(architecture)
        return walk.sink.layers
    }
}

/// Keeps running totals only.
struct TotalSink: LayerSink {
    var macs = 0
    var params = 0

    @inline(__always)
    mutating func record(_ name: @autoclosure () -> String, shape: LayerShape, macs: Int, params: Int) {
        self.macs += macs
        self.params += params
    }
}

/// Keeps every layer.
struct BreakdownSink: LayerSink {
    var layers: [LayerCost] = []

    mutating func record(_ name: @autoclosure () -> String, shape: LayerShape, macs: Int, params: Int) {
        layers.append(LayerCost(name: name(), outputShape: shape.array, macs: macs, params: params))
    }
}
