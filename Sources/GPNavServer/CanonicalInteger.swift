/// Non-negative integers in paths and queries, in their one canonical spelling: decimal digits,
/// no sign, no leading zero. `+1`, `0007` and ` 7` would otherwise name trial 7 as well, so that
/// caches, logs and access rules keyed by path could be walked around.
enum CanonicalInteger {
    /// The value of `text`, or nil unless it is the canonical spelling of a value in 0...Int.max.
    static func parse(_ text: some StringProtocol) -> Int? {
        guard let value = Int(text), value >= 0, String(value) == text else { return nil }
        return value
    }

    /// The pattern the OpenAPI document gives for such a parameter.
    static let pattern = "^(0|[1-9][0-9]*)$"
}
