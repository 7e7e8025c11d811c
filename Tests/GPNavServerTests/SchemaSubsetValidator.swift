import Foundation

/// A validator of the JSON Schema keywords the OpenAPI document's data schemas use: `type`,
/// `properties`, `required`, `additionalProperties`, `items`, `minItems`, `maxItems`, `minimum`,
/// `maximum`, `enum`, `const`, `oneOf`, `allOf` and local `$ref`s. A schema with any other constraining keyword is refused, so that a schema this
/// validator cannot check never passes unchecked.
struct SchemaSubsetValidator {
    /// The whole document, for `$ref`s.
    let document: [String: Any]

    private static let known: Set<String> = ["type", "properties", "required", "items", "minItems", "maxItems", "enum",
                                              "minimum", "maximum", "const", "oneOf", "allOf", "additionalProperties",
                                              "$ref", "description", "title"]

    /// Why `value` does not satisfy `schema`; empty when it does.
    func problems(_ value: Any, _ schema: [String: Any], at path: String = "$") -> [String] {
        if let unknown = schema.keys.first(where: { !Self.known.contains($0) }) { return ["\(path): keyword '\(unknown)' not checked"] }
        if let reference = schema["$ref"] as? String { return problems(value, resolve(reference), at: path) }
        var found: [String] = []
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [type as? String ?? ""]
            if !types.contains(where: { Self.value(value, is: $0) }) { found.append("\(path): not \(types)") }
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { Self.equal($0, value) }) {
            found.append("\(path): \(value) not one of \(allowed)")
        }
        if let number = value as? NSNumber {
            if let minimum = schema["minimum"] as? NSNumber, number.doubleValue < minimum.doubleValue { found.append("\(path): below \(minimum)") }
            if let maximum = schema["maximum"] as? NSNumber, number.doubleValue > maximum.doubleValue { found.append("\(path): above \(maximum)") }
        }
        if let constant = schema["const"], !Self.equal(constant, value) { found.append("\(path): \(value) is not \(constant)") }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { found.append("\(path): '\(key)' missing") }
            for (key, property) in schema["properties"] as? [String: [String: Any]] ?? [:] {
                if let member = object[key] { found += problems(member, property, at: "\(path).\(key)") }
            }
            let declared = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
            for (key, member) in object where !declared.contains(key) {
                if let additional = schema["additionalProperties"] as? [String: Any] {
                    found += problems(member, additional, at: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    found.append("\(path): '\(key)' is not allowed")
                }
            }
        }
        if let array = value as? [Any] {
            if let minimum = schema["minItems"] as? Int, array.count < minimum { found.append("\(path): fewer than \(minimum) items") }
            if let maximum = schema["maxItems"] as? Int, array.count > maximum { found.append("\(path): more than \(maximum) items") }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() { found += problems(item, items, at: "\(path)[\(index)]") }
            }
        }
        for part in schema["allOf"] as? [[String: Any]] ?? [] { found += problems(value, part, at: path) }
        if let branches = schema["oneOf"] as? [[String: Any]] {
            let matching = branches.filter { problems(value, $0, at: path).isEmpty }.count
            if matching != 1 { found.append("\(path): matches \(matching) of the oneOf branches, not 1") }
        }
        return found
    }

    private func resolve(_ reference: String) -> [String: Any] {
        var node: Any = document
        for part in reference.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] ?? [:] }
        return node as? [String: Any] ?? [:]
    }

    private static func value(_ value: Any, is type: String) -> Bool {
        let number = value as? NSNumber
        // JSONSerialization reads true and false as NSNumbers of Objective-C type "c" (char); it
        // reads every integer as "q" and every other number as "d".
        let isBool = number.map { String(cString: $0.objCType) == "c" } ?? false
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "null": return value is NSNull
        case "boolean": return isBool
        case "number": return number != nil && !isBool
        case "integer": return number.map { !isBool && $0.doubleValue == $0.doubleValue.rounded() } ?? false
        default: return false
        }
    }

    private static func equal(_ a: Any, _ b: Any) -> Bool {
        if let a = a as? String, let b = b as? String { return a == b }
        if let a = a as? NSNumber, let b = b as? NSNumber { return a == b }
        return false
    }
}
