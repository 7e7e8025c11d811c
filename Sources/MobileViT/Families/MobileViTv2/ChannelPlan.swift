/// The channel widths of MobileViTv2 at one width multiplier, as ml-cvnets builds them.
struct ChannelPlan: Sendable {
    /// Stem output channels C0.
    let stem: Int
    /// Output channels of stages 1 to 5 (index 0 is stage 1).
    let stages: (Int, Int, Int, Int, Int)
    /// Attention dimensions d of the MobileViTv2 blocks of stages 3, 4 and 5.
    let attention: (Int, Int, Int)

    init(width w: Double) {
        stem = Self.round8(min(max(32 * w, 16), 64), divisor: 8, minimum: 16)
        stages = (
            Self.round8(64 * w, divisor: 16),
            Self.round8(128 * w, divisor: 8),
            Self.round8(256 * w, divisor: 8),
            Self.round8(384 * w, divisor: 8),
            Self.round8(512 * w, divisor: 8)
        )
        attention = (
            Self.round8(128 * w, divisor: 8),
            Self.round8(192 * w, divisor: 8),
            Self.round8(256 * w, divisor: 8)
        )
    }

    /// ml-cvnets' `make_divisible` (``ChannelRounding/makeDivisible(_:divisor:minimum:)``).
    static func round8(_ v: Double, divisor: Int, minimum: Int? = nil) -> Int {
        ChannelRounding.makeDivisible(v, divisor: divisor, minimum: minimum)
    }

    /// Hidden width of an MV2 block with expansion 2: round8(round(2 Cin), 8).
    static func expanded(_ inputChannels: Int) -> Int {
        round8(Double(2 * inputChannels), divisor: 8)
    }

    /// FFN width inside attention: f = floor(2d / 16) x 16.
    static func feedForward(_ d: Int) -> Int {
        (2 * d) / 16 * 16
    }
}
