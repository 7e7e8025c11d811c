import Foundation

/// Reading and writing large counts (MACs, parameters) and byte sizes with SI suffixes.
///
/// Counts accept a plain integer or a decimal with suffix `k` (10^3), `M` (10^6), `G` (10^9) or
/// `T` (10^12), e.g. `300M`, `1.8G`, `450k`, `1e9` is rejected (write `1G`). Byte sizes accept
/// `B`, `kB`/`KB`, `MB`, `GB` (decimal, 10^3 steps) and `KiB`, `MiB`, `GiB` (binary, 2^10 steps).
public enum Quantity {
    /// Why a count or size could not be read.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case malformed(String, what: String)
        case notPositive(String, what: String)
        case tooLarge(String, what: String)

        public var description: String {
            switch self {
            case .malformed(let text, let what):
                "'\(text)' is not a valid \(what): write a number with an optional unit, e.g. \(what == "size" ? "1.5MB, 800kB or 2MiB" : "300M, 1.8G, 450k or 300000000")"
            case .notPositive(let text, let what):
                "'\(text)' is not a valid \(what): it must be greater than zero"
            case .tooLarge(let text, let what):
                "'\(text)' is too large for a \(what)"
            }
        }
    }

    private static let countSuffixes: [(String, Double)] = [
        ("k", 1e3), ("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
    ]
    private static let byteSuffixes: [(String, Double)] = [
        ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824),
        ("kB", 1e3), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("B", 1),
    ]

    /// Parses a positive count such as `300M`, `1.8G`, `450k` or `300000000`.
    /// - Throws: ``ParseError`` for anything else, including zero, negatives and values past 2^62.
    public static func parseCount(_ text: String) throws(ParseError) -> Int {
        try parse(text, suffixes: countSuffixes, what: "count")
    }

    /// Parses a positive byte size such as `1.5MB`, `800kB`, `2MiB` or `4096`.
    public static func parseBytes(_ text: String) throws(ParseError) -> Int {
        try parse(text, suffixes: byteSuffixes, what: "size")
    }

    private static func parse(_ raw: String, suffixes: [(String, Double)], what: String) throws(ParseError) -> Int {
        let text = raw.trimmingCharacters(in: .whitespaces)
        var number = Substring(text)
        var scale = 1.0
        for (suffix, factor) in suffixes where text.hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            scale = factor
            break
        }
        number = Substring(number.trimmingCharacters(in: .whitespaces))
        // Digits with at most one decimal point; no signs, exponents, hex, inf or nan.
        let allowed = number.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard !number.isEmpty, allowed, number.filter({ $0 == "." }).count <= 1,
              number.contains(where: \.isNumber), let value = Double(number) else {
            if number.hasPrefix("-") { throw .notPositive(raw, what: what) }
            throw .malformed(raw, what: what)
        }
        let scaled = (value * scale).rounded()
        guard scaled.isFinite, scaled < 4.6e18 else { throw .tooLarge(raw, what: what) }
        guard scaled >= 1 else { throw .notPositive(raw, what: what) }
        return Int(scaled)
    }

    /// A count with a human unit and three significant digits, e.g. `1.82 G`, `300 M`, `4.95 M`, `912`.
    public static func formatCount(_ value: Int) -> String {
        let magnitude = Double(value)
        for (suffix, factor) in [("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)] where abs(magnitude) >= factor {
            return "\(threeSignificant(magnitude / factor)) \(suffix)"
        }
        return String(value)
    }

    /// A byte size in decimal units with three significant digits, e.g. `4.95 MB`.
    public static func formatBytes(_ value: Int) -> String {
        let magnitude = Double(value)
        for (suffix, factor) in [("GB", 1e9), ("MB", 1e6), ("kB", 1e3)] where abs(magnitude) >= factor {
            return "\(threeSignificant(magnitude / factor)) \(suffix)"
        }
        return "\(value) B"
    }

    private static func threeSignificant(_ x: Double) -> String {
        let decimals = x >= 100 ? 0 : (x >= 10 ? 1 : 2)
        return String(format: "%.\(decimals)f", x)
    }
}
