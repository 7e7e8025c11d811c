import Foundation

/// JSON text as `openapi.json` is written: two spaces per level, `"key": value`, keys sorted,
/// every array and object member on a line of its own (empty ones as `[]` and `{}`).
///
/// Foundation's pretty printer writes `"key" : value` and bridges numbers differently across
/// platforms, so the generated parts of the document would not read like the rest of it.
enum PrettyJSON {
    /// `value` (strings, integers, doubles, booleans, arrays and string-keyed dictionaries of
    /// them), its inner lines indented by `indent` spaces more than the first.
    static func text(_ value: Any, indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent)
        let inner = String(repeating: " ", count: indent + 2)
        switch value {
        case let object as [String: Any]:
            guard !object.isEmpty else { return "{}" }
            let members = object.keys.sorted().map { key in
                inner + string(key) + ": " + text(object[key] ?? NSNull(), indent: indent + 2)
            }
            return "{\n" + members.joined(separator: ",\n") + "\n" + pad + "}"
        case let array as [Any]:
            guard !array.isEmpty else { return "[]" }
            return "[\n" + array.map { inner + text($0, indent: indent + 2) }.joined(separator: ",\n") + "\n" + pad + "]"
        case let text as String: return string(text)
        case let flag as Bool: return flag ? "true" : "false"
        case let number as Int: return String(number)
        case let number as Int64: return String(number)
        case let number as Double: return number.isFinite ? String(number) : "null"
        default: return "null"
        }
    }

    /// A JSON string literal: quote, backslash and control characters escaped.
    private static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
