import Foundation

/// The JSON form of an architecture: `resolution`, `width`, one key per depth group and per
/// choice of its family, `classes`, and `family` for every family but the default one (a
/// missing `family` means the default, so MobileViTv2's JSON reads as it always has).
extension Architecture: Codable {
    struct FieldKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FieldKey.self)
        let family = try container.decodeIfPresent(String.self, forKey: FieldKey("family"))
            .map { name throws(ArchitectureError) in try ArchitectureFamilies.named(name) } ?? ArchitectureFamilies.standard
        var depths: [String: [Int]] = [:]
        for group in family.depthGroups {
            depths[group.name] = try container.decode([Int].self, forKey: FieldKey(group.name))
        }
        var choices: [String: Int] = [:]
        for choice in family.choices where container.contains(FieldKey(choice.name)) {
            if choice.labels.isEmpty {
                choices[choice.name] = try container.decode(Int.self, forKey: FieldKey(choice.name))
            } else {
                let text = try container.decode(String.self, forKey: FieldKey(choice.name))
                guard let value = choice.value(of: text) else {
                    throw ArchitectureError.choiceLabel(name: choice.words, text: text, labels: choice.labels)
                }
                choices[choice.name] = value
            }
        }
        try self.init(
            family: family,
            resolution: try container.decode(Int.self, forKey: FieldKey("resolution")),
            width: try container.decode(Double.self, forKey: FieldKey("width")),
            depths: depths,
            choices: choices,
            classes: try container.decodeIfPresent(Int.self, forKey: FieldKey("classes")) ?? 1000
        )
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeFields(to: encoder, includingFamily: familyName != ArchitectureFamilies.standard.name)
    }

    /// Encodes the architecture's own keys, and `family` when asked.
    func encodeFields(to encoder: any Encoder, includingFamily: Bool) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        let family = self.family
        try container.encode(resolution, forKey: FieldKey("resolution"))
        try container.encode(width, forKey: FieldKey("width"))
        for (group, depths) in zip(family.depthGroups, depthLists) {
            try container.encode(depths, forKey: FieldKey(group.name))
        }
        for (choice, value) in zip(family.choices, choiceValues) {
            if choice.labels.isEmpty {
                try container.encode(value, forKey: FieldKey(choice.name))
            } else {
                try container.encode(choice.text(of: value), forKey: FieldKey(choice.name))
            }
        }
        try container.encode(classes, forKey: FieldKey("classes"))
        if includingFamily { try container.encode(familyName, forKey: FieldKey("family")) }
    }
}
