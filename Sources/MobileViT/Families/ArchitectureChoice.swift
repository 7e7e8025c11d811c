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
    /// Names of the values, in the order of ``allowed``, when the choice is written as text
    /// (e.g. a base plan `xxs`, `xs`, `s`); empty when it is written as the number itself.
    public let labels: [String]

    /// A choice.
    public init(name: String, words: String, allowed: [Int], defaultValue: Int, labels: [String] = []) {
        self.name = name
        self.words = words
        self.allowed = allowed
        self.defaultValue = defaultValue
        self.labels = labels
    }

    /// The text of `value`: its label, or the number.
    public func text(of value: Int) -> String {
        guard let index = allowed.firstIndex(of: value), index < labels.count else { return String(value) }
        return labels[index]
    }

    /// The value whose label or number is `text`; nil when there is none.
    public func value(of text: String) -> Int? {
        if let index = labels.firstIndex(of: text.lowercased()), index < allowed.count { return allowed[index] }
        return labels.isEmpty ? Int(text) : nil
    }
}
