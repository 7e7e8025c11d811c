/// The hard constraints a proposal must meet. Every budget that is set must hold.
public struct Budget: Codable, Hashable, Sendable {
    /// Most multiply-accumulates allowed (published MobileViTv2 counting convention).
    public var macs: Int?
    /// Most parameters allowed.
    public var params: Int?
    /// Most bytes of weights allowed, at ``bits`` bits per weight.
    public var memoryBytes: Int?
    /// Weight bit width for ``memoryBytes`` (32, 16, 8, 6 or 4).
    public var bits: Int?

    public init(macs: Int? = nil, params: Int? = nil, memoryBytes: Int? = nil, bits: Int? = nil) {
        self.macs = macs
        self.params = params
        self.memoryBytes = memoryBytes
        self.bits = bits
    }

    /// Whether a model with these counts meets every budget that is set.
    /// Weight memory is `ceil(params x bits / 8)` bytes.
    public func admits(macs: Int, params: Int) -> Bool {
        if let limit = self.macs, macs > limit { return false }
        if let limit = self.params, params > limit { return false }
        if let limit = memoryBytes, Self.weightBytes(params: params, bits: bits ?? 32) > limit { return false }
        return true
    }

    /// Bytes needed to hold `params` weights at `bits` bits each, rounded up to whole bytes.
    public static func weightBytes(params: Int, bits: Int) -> Int {
        (params * bits + 7) / 8
    }

    private enum CodingKeys: String, CodingKey {
        case macs, params, memoryBytes = "memory_bytes", bits
    }
}
