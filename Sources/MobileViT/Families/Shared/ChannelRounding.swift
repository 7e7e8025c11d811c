/// The channel-rounding rule the MobileNet and MobileViT families share.
///
/// Every family here rounds a scaled width c x w the way TensorFlow's MobileNet code first did
/// and ml-cvnets, timm and torchvision copy (`make_divisible`), so one rule serves them all.
enum ChannelRounding {
    /// `make_divisible`: r = max(minimum, floor((v + divisor / 2) / divisor) x divisor), then one
    /// more `divisor` when r < 0.9 v, so that a width is never rounded down by more than 10 %.
    /// `minimum` defaults to `divisor`. For example 41.6 -> 40, 19 -> 32 with divisor 16.
    static func makeDivisible(_ v: Double, divisor: Int, minimum: Int? = nil) -> Int {
        let floor = minimum ?? divisor
        let rounded = Int(v + Double(divisor) / 2) / divisor * divisor
        var r = max(floor, rounded)
        if Double(r) < 0.9 * v { r += divisor }
        return r
    }
}
