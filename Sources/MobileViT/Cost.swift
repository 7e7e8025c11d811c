/// The compute and size of a network: multiply-accumulates per image and learnable parameters.
public struct Cost: Hashable, Sendable, Codable {
    /// Multiply-accumulate operations for one input image (batch 1), under the counting
    /// convention that produced this value.
    public let macs: Int
    /// Learnable parameters: conv and linear weights and biases, BatchNorm and LayerNorm affine
    /// weights and biases (running statistics are not parameters).
    public let params: Int

    /// A cost from exact counts.
    public init(macs: Int, params: Int) {
        self.macs = macs
        self.params = params
    }

    /// Parameter memory in bytes with every weight stored in `bits` bits:
    /// ceil(params x bits / 8). Bit widths below 1 give 0.
    ///
    /// For example, 4,901,841 parameters take 19,607,364 bytes at 32 bits and 3,676,381 bytes at
    /// 6 bits (ceil(29,411,046 / 8)).
    public func weightBytes(bits: Int) -> Int {
        guard bits > 0 else { return 0 }
        let totalBits = params * bits
        return totalBits / 8 + (totalBits % 8 == 0 ? 0 : 1)
    }

    /// The weight bit widths common in mobile deployment: float32, float16, and the 8-, 6- and
    /// 4-bit post-training quantisations.
    public static let commonWeightBits = [32, 16, 8, 6, 4]
}

/// Which operations a MAC count includes.
public enum CountingConvention: String, CaseIterable, Sendable, Codable {
    /// MobileViTv2's published convention (the default): convolutions and linear layers only.
    ///
    /// A convolution costs k x k x Cin x Cout x Hout x Wout / groups MACs, plus Cout x Hout x Wout
    /// when it has a bias; the 1x1 projections of attention and FFN act on all H x W tokens; the
    /// classifier costs in x out + out. Normalisation, activations, softmax, element-wise products
    /// and sums, residual adds, resizing and pooling cost 0. The published models' figures
    /// (about 1.8 GMACs for MobileViTv2-1.0 at 256x256) are counted this way.
    case published
    /// The published count plus the element-wise work the published convention leaves out.
    ///
    /// Added per output element (T = H x W tokens of the map, d the attention dimension):
    /// - BatchNorm: 1 (the inference-time scale and shift);
    /// - LayerNorm: 3 (mean, variance, scale and shift) per each of its d x T elements;
    /// - separable attention, per layer: 2 per context score for the softmax over N (2T), d x T
    ///   for the context vector (the score-weighted sum of keys) and d x T for the product
    ///   ReLU(value) x context;
    /// - residual adds: 1 (MV2 blocks with a shortcut, and both per attention layer);
    /// - global average pooling: 1 per input element.
    /// Activations, resizing and dropout still cost 0. This is gpnav's own convention, useful for
    /// comparing the attention overhead across resolutions; no published figure uses it.
    case full
}

/// One layer of the network in a cost breakdown.
public struct LayerCost: Sendable, Hashable, Codable {
    /// Dotted path of the layer, e.g. `stage3.mobilevit.layer0.qkv`.
    public let name: String
    /// Shape of the layer's output for one image: `[C, H, W]` for feature maps, `[C, P, N]` for
    /// the unfolded tokens of attention (P = 4 pixels per 2x2 patch, N = H x W / 4 patches), and
    /// `[classes]` for the classifier.
    public let outputShape: [Int]
    /// Multiply-accumulates of this layer under the chosen convention.
    public let macs: Int
    /// Learnable parameters of this layer (including its normalisation's weight and bias).
    public let params: Int

    /// A layer's cost.
    public init(name: String, outputShape: [Int], macs: Int, params: Int) {
        self.name = name
        self.outputShape = outputShape
        self.macs = macs
        self.params = params
    }

    private enum CodingKeys: String, CodingKey {
        case name, outputShape = "output_shape", macs, params
    }
}
