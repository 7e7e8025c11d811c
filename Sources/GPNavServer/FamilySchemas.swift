import Foundation
import MobileViT

/// The OpenAPI (JSON Schema 2020-12) schemas that come from the family registry, and the rewrite
/// of `openapi.json` that puts them in: `swift run regenerate-openapi` after a family changes.
///
/// `FamilyName` lists the registered names. `Architecture` and `SearchSpace` are each one object schema per registered family, joined by
/// `oneOf`. A family's branch requires `family` set to the family's name (the default family's
/// branch also accepts none, as its JSON has always read) and the family's own keys: an
/// architecture's `resolution`, `width` and depth groups (an array of one integer per stage),
/// with `classes` and each choice (its labels or its values) allowed; a search space's grid of
/// every factor (``ArchitectureFactor/spaceKey``) and `classes`. No two branches accept one
/// document. Every other schema of the document is written by hand and left as it is.
public enum FamilySchemas {
    /// The schemas by their name under `components.schemas`, in document order.
    static var all: [(name: String, schema: [String: Any])] {
        [("FamilyName", familyName), ("Architecture", architecture), ("SearchSpace", searchSpace)]
    }

    static var familyName: [String: Any] {
        [
            "type": "string", "enum": ArchitectureFamilies.names,
            "description": "A registered architecture family (the server reads it as a string and checks it against its registry).",
        ]
    }

    static var architecture: [String: Any] {
        [
            "description": "An architecture of a registered family: its name and that family's factors.",
            "oneOf": ArchitectureFamilies.all.map(architectureBranch),
        ]
    }

    static var searchSpace: [String: Any] {
        [
            "description": "A search space of a registered family: its name, a grid per factor of that family, and the class count.",
            "oneOf": ArchitectureFamilies.all.map(searchSpaceBranch),
        ]
    }

    /// `document`, the text of an OpenAPI document written with two-space indentation, with each
    /// schema of ``all`` replaced by the registry's, written the same way with sorted keys;
    /// every other byte is kept.
    /// - Throws: ``FamilySchemasError`` when the document has no such schema to replace.
    public static func regenerated(_ document: String) throws(FamilySchemasError) -> String {
        var lines = document.components(separatedBy: "\n")
        for (name, schema) in all {
            let opening = "      \"\(name)\": {"
            guard let start = lines.firstIndex(of: opening),
                  let end = lines[start...].firstIndex(where: { $0 == "      }" || $0 == "      }," }) else {
                throw FamilySchemasError(message: "no schema '\(name)' under components.schemas at six spaces' indentation")
            }
            let comma = lines[end].hasSuffix(",") ? "," : ""
            let text = "      \"\(name)\": " + PrettyJSON.text(schema, indent: 6) + comma
            lines.replaceSubrange(start...end, with: text.components(separatedBy: "\n"))
        }
        return lines.joined(separator: "\n")
    }

    private static func familySchema(_ family: any ArchitectureFamily) -> [String: Any] {
        family.name == ArchitectureFamilies.standard.name
            ? ["enum": [family.name], "description": "Absent means \(family.name)."]
            : ["const": family.name]
    }

    private static func required(_ family: any ArchitectureFamily, _ keys: [String]) -> [String] {
        (family.name == ArchitectureFamilies.standard.name ? [] : ["family"]) + keys
    }

    private static func architectureBranch(_ family: any ArchitectureFamily) -> [String: Any] {
        var properties: [String: Any] = [
            "family": familySchema(family),
            "resolution": integer(["description": "Input resolution in pixels (base \(family.baseResolution))."]),
            "width": ["type": "number", "description": "Width multiplier."],
            "classes": integer([:]),
        ]
        for group in family.depthGroups {
            let base = group.base.map(String.init).joined(separator: ",")
            properties[group.name] = [
                "type": "array", "items": integer([:]), "minItems": group.base.count, "maxItems": group.base.count,
                "description": "\(group.kind) blocks of \(group.stages) (base \(base))",
            ] as [String: Any]
        }
        for choice in family.choices {
            let values: [Any] = choice.labels.isEmpty ? choice.allowed : choice.labels
            properties[choice.name] = ["enum": values, "description": choice.words] as [String: Any]
        }
        return ["type": "object", "title": family.displayName, "properties": properties,
                "required": required(family, ["resolution", "width"] + family.depthGroups.map(\.name))]
    }

    private static func searchSpaceBranch(_ family: any ArchitectureFamily) -> [String: Any] {
        var properties: [String: Any] = ["family": familySchema(family), "classes": integer([:])]
        for factor in family.factors {
            let item: [String: Any] = factor.isWholeNumber ? integer([:]) : ["type": "number"]
            properties[factor.spaceKey] = ["type": "array", "items": item, "description": factor.label] as [String: Any]
        }
        return ["type": "object", "title": family.displayName, "properties": properties,
                "required": required(family, family.factors.map(\.spaceKey) + ["classes"])]
    }

    /// An integer schema bounded to what the server reads (a signed 64-bit integer), so that valid
    /// data by the schema is never refused as out of range.
    private static func integer(_ extra: [String: Any]) -> [String: Any] {
        extra.merging(["type": "integer", "minimum": Int64.min, "maximum": Int64.max]) { first, _ in first }
    }
}

/// Why `openapi.json` cannot take the family registry's schemas.
public struct FamilySchemasError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var description: String { message }
}
