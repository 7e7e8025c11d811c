import Foundation

/// A sequential colour scale from low to high values: viridis (van der Walt & Smith, matplotlib),
/// sampled at nine stops and interpolated linearly in sRGB between them.
///
/// Its relative luminance rises monotonically from dark purple to yellow, so the order of values
/// survives greyscale printing and most colour-vision deficiencies.
struct ColorScale: Sendable {
    /// An sRGB colour with components in [0, 1].
    struct RGB: Sendable, Equatable {
        public var red: Double
        public var green: Double
        public var blue: Double

        /// `#rrggbb`.
        public var hex: String {
            let bytes = [red, green, blue].map { Int((min(1, max(0, $0)) * 255).rounded()) }
            return String(format: "#%02x%02x%02x", bytes[0], bytes[1], bytes[2])
        }

        /// Relative luminance (WCAG 2): 0.2126 R + 0.7152 G + 0.0722 B of the linearised channels.
        public var luminance: Double {
            func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
            return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
        }
    }

    /// Viridis at t = 0, 1/8, ..., 1.
    static let stops: [RGB] = [
        (0x44, 0x01, 0x54), (0x47, 0x2d, 0x7b), (0x3b, 0x52, 0x8b), (0x2c, 0x72, 0x8e), (0x21, 0x91, 0x8c),
        (0x28, 0xae, 0x80), (0x5e, 0xc9, 0x62), (0xad, 0xdc, 0x30), (0xfd, 0xe7, 0x25),
    ].map { RGB(red: Double($0.0) / 255, green: Double($0.1) / 255, blue: Double($0.2) / 255) }

    /// Values mapped to the ends; values outside are clamped.
    public let lower: Double
    public let upper: Double

    public init(lower: Double, upper: Double) {
        let valid = lower.isFinite && upper.isFinite
        self.lower = valid ? lower : 0
        self.upper = valid ? (upper > lower ? upper : lower + 1) : 1
    }

    /// The colour at fraction `t` in [0, 1] of the scale (clamped; NaN gives the low end).
    public static func color(at t: Double) -> RGB {
        let clamped = t.isFinite ? min(1, max(0, t)) : 0
        let position = clamped * Double(stops.count - 1)
        let index = min(stops.count - 2, Int(position.rounded(.down)))
        let f = position - Double(index)
        let a = stops[index], b = stops[index + 1]
        return RGB(red: a.red + f * (b.red - a.red), green: a.green + f * (b.green - a.green),
                   blue: a.blue + f * (b.blue - a.blue))
    }

    /// The colour of `value`.
    public func color(_ value: Double) -> RGB {
        Self.color(at: (value - lower) / (upper - lower))
    }
}
