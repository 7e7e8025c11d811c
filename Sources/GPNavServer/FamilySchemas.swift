import Foundation
import MobileViT

/// The OpenAPI (JSON Schema 2020-12) schema of an architecture, from the family registry: one
/// object schema per registered family, each its name and its own parts, joined by `oneOf`.
///
/// A family's branch requires `resolution`, `width` and each of its depth groups (an array of
/// one integer per stage), allows `classes` and each choice (its labels or its values), and
/// requires `family` set to the family's name; the default family's branch also accepts no
/// `family`, as the architecture's JSON has always read. No two branches accept one document.
enum ArchitectureSchema {
    /// The schema as compact JSON text, for the OpenAPI document.
    static var json: String {
        let branches = ArchitectureFamilies.all.map(branch)
        let schema: [String: Any] = [
            "description": "An architecture of a registered family: its name and that family's factors.",
            "oneOf": branches,
        ]
        // Strings, integers and arrays of them serialise; nothing here can fail.
        guard let data = try? JSONSerialization.data(withJSONObject: schema, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func branch(_ family: any ArchitectureFamily) -> [String: Any] {
        let isStandard = family.name == ArchitectureFamilies.standard.name
        var familySchema: [String: Any] = ["const": family.name]
        if isStandard { familySchema = ["enum": [family.name], "description": "Absent means \(family.name)."] }
        var properties: [String: Any] = [:]
        properties["family"] = familySchema
        properties["resolution"] = integer(["description": "Input resolution in pixels (base \(family.baseResolution))."])
        properties["width"] = ["type": "number", "description": "Width multiplier."]
        properties["classes"] = integer([:])
        for group in family.depthGroups {
            let base = group.base.map(String.init).joined(separator: ",")
            let schema: [String: Any] = [
                "type": "array", "items": integer([:]), "minItems": group.base.count, "maxItems": group.base.count,
                "description": "\(group.kind) blocks of \(group.stages) (base \(base))",
            ]
            properties[group.name] = schema
        }
        for choice in family.choices {
            let values: [Any] = choice.labels.isEmpty ? choice.allowed : choice.labels
            properties[choice.name] = ["enum": values, "description": choice.words] as [String: Any]
        }
        let required = (isStandard ? [] : ["family"]) + ["resolution", "width"] + family.depthGroups.map(\.name)
        return ["type": "object", "title": family.displayName, "properties": properties, "required": required]
    }

    /// An integer schema bounded to what the server reads (a signed 64-bit integer), so that valid
    /// data by the schema is never refused as out of range.
    private static func integer(_ extra: [String: Any]) -> [String: Any] {
        extra.merging(["type": "integer", "minimum": Int64.min, "maximum": Int64.max]) { first, _ in first }
    }
}
