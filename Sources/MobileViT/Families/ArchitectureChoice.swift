/// A named discrete choice of a family (e.g. an expansion ratio of 2 or 4).
public struct ArchitectureChoice: Sendable, Hashable {
    /// The choice's key in JSON, e.g. `mv2_expansion`.
    public let name: String
    /// The choice in words, e.g. `MV2 expansion ratio`.
    public let words: String
    /// The values allowed, ascending.
    public let allowed: [Int]
    /// The base network's value.
    public let defaultValue: Int

    /// A choice.
    public init(name: String, words: String, allowed: [Int], defaultValue: Int) {
        self.name = name
        self.words = words
        self.allowed = allowed
        self.defaultValue = defaultValue
    }
}
