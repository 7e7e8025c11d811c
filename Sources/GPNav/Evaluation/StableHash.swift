import GaussianProcess
import Foundation

/// A 64-bit FNV-1a hash that is the same in every process (unlike Swift's `Hasher`, which is
/// seeded at random per process), for noise that a seed must reproduce.
struct StableHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
    }

    /// Mixes in the eight bytes of `word`, least significant first.
    mutating func combine(_ word: UInt64) {
        combine((0..<8).map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) })
    }

    /// Mixes in the string's UTF-8 bytes, then its length, so that ("ab", "c") and ("a", "bc") differ.
    mutating func combine(_ text: String) {
        combine(text.utf8)
        combine(UInt64(text.utf8.count))
    }
}

extension SplitMix64 {
    /// A uniform draw in the open interval (0, 1) from the top 53 bits.
    mutating func nextOpenUnit() -> Double {
        (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0
    }

    /// A standard normal draw by the Box-Muller transform: sqrt(-2 ln u1) cos(2 pi u2).
    mutating func nextStandardNormal() -> Double {
        let u1 = nextOpenUnit()
        let u2 = nextOpenUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
