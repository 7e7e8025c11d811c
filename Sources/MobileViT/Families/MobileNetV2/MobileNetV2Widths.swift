/// Every width of one MobileNetV2 at a width multiplier w, as torchvision rounds them.
///
/// The stem's 32 channels and each stage's base channels c become make_divisible(c x w, 8)
/// (``ChannelRounding/makeDivisible(_:divisor:minimum:)``); the last conv's 1280 channels become
/// make_divisible(1280 x max(1, w), 8), so they never shrink below 1280. A block's hidden width
/// is exactly t x Cin (no rounding), t its stage's expansion ratio.
struct MobileNetV2Widths: Sendable {
    let stem: Int
    /// Output channels of stages 1 to 7.
    let stages: [Int]
    /// Channels of the 1x1 conv before pooling.
    let last: Int

    init(width w: Double) {
        stem = ChannelRounding.makeDivisible(32 * w, divisor: 8)
        stages = MobileNetV2Family.stages.map { ChannelRounding.makeDivisible(Double($0.channels) * w, divisor: 8) }
        last = ChannelRounding.makeDivisible(1280 * max(1, w), divisor: 8)
    }
}
