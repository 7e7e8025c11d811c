/// A strict reader of one JSON object (RFC 8259), for the result line of a training command.
///
/// It accepts exactly JSON: no hexadecimal, `NaN`, `Infinity`, leading `+` or zeros, comments,
/// trailing commas, single quotes, unescaped control characters, lone surrogates or invalid
/// UTF-8, and nothing but white space after the object. A key given twice in one object is
/// refused, since readers disagree on which value counts. Nesting is limited to 64 levels.
enum StrictJSON {
    /// A value of the top-level object; nested objects and arrays are checked but not kept.
    enum Value: Equatable, Sendable {
        case number(Double)
        case string(String)
        case bool(Bool)
        case null
        case nested
    }

    /// Why a line is not one JSON object, with the byte offset where reading stopped.
    struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
        var offset: Int
        var message: String
        var description: String { "\(message) (at byte \(offset))" }
    }

    static let maximumDepth = 64

    /// The object's members by key.
    static func object(_ bytes: some Collection<UInt8>) throws(SyntaxError) -> [String: Value] {
        var reader = Reader(bytes: Array(bytes))
        reader.skipSpace()
        guard reader.peek == UInt8(ascii: "{") else { throw reader.error("expected a JSON object") }
        let members = try reader.readObject(depth: 1)
        reader.skipSpace()
        guard reader.isAtEnd else { throw reader.error("unexpected text after the object") }
        return members ?? [:]
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var isAtEnd: Bool { index >= bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        func error(_ message: String) -> SyntaxError { SyntaxError(offset: index, message: message) }

        mutating func skipSpace() {
            while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func expect(_ character: Character) throws(SyntaxError) {
            guard let ascii = character.asciiValue, peek == ascii else { throw error("expected '\(character)'") }
            index += 1
        }

        /// An object; its members when `keep` (the top level), else nil.
        mutating func readObject(depth: Int, keep: Bool = true) throws(SyntaxError) -> [String: Value]? {
            guard depth <= StrictJSON.maximumDepth else { throw error("nested more than \(StrictJSON.maximumDepth) levels") }
            try expect("{")
            var members: [String: Value] = [:]
            var keys = Set<String>()
            skipSpace()
            if peek == UInt8(ascii: "}") { index += 1; return keep ? members : nil }
            while true {
                skipSpace()
                let keyOffset = index
                guard peek == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
                let key = try readString()
                guard keys.insert(key).inserted else {
                    throw SyntaxError(offset: keyOffset, message: "duplicate key \"\(key.prefix(40))\"")
                }
                skipSpace()
                try expect(":")
                skipSpace()
                let value = try readValue(depth: depth)
                if keep { members[key] = value }
                skipSpace()
                if peek == UInt8(ascii: ",") { index += 1; continue }
                try expect("}")
                return keep ? members : nil
            }
        }

        mutating func readArray(depth: Int) throws(SyntaxError) {
            guard depth <= StrictJSON.maximumDepth else { throw error("nested more than \(StrictJSON.maximumDepth) levels") }
            try expect("[")
            skipSpace()
            if peek == UInt8(ascii: "]") { index += 1; return }
            while true {
                skipSpace()
                _ = try readValue(depth: depth)
                skipSpace()
                if peek == UInt8(ascii: ",") { index += 1; continue }
                try expect("]")
                return
            }
        }

        mutating func readValue(depth: Int) throws(SyntaxError) -> Value {
            guard let byte = peek else { throw error("expected a value") }
            switch byte {
            case UInt8(ascii: "{"):
                _ = try readObject(depth: depth + 1, keep: false)
                return .nested
            case UInt8(ascii: "["):
                try readArray(depth: depth + 1)
                return .nested
            case UInt8(ascii: "\""):
                return .string(try readString())
            case UInt8(ascii: "t"):
                try readLiteral("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try readLiteral("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try readLiteral("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .number(try readNumber())
            case UInt8(ascii: "N"):
                throw error("NaN is not a JSON number")
            case UInt8(ascii: "I"):
                throw error("Infinity is not a JSON number")
            default:
                throw error("expected a value")
            }
        }

        mutating func readLiteral(_ word: String) throws(SyntaxError) {
            for ascii in word.utf8 {
                guard peek == ascii else { throw error("expected \(word)") }
                index += 1
            }
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        mutating func readNumber() throws(SyntaxError) -> Double {
            let start = index
            func digits() -> Int {
                let first = index
                while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
                return index - first
            }
            if peek == UInt8(ascii: "-") { index += 1 }
            if peek == UInt8(ascii: "I") { throw error("Infinity is not a JSON number") }
            if peek == UInt8(ascii: "0") {
                index += 1
            } else if digits() == 0 {
                throw error("expected digits")
            }
            if peek == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw error("expected digits after the decimal point") }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                index += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw error("expected digits in the exponent") }
            }
            if let byte = peek, (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "x")
                || byte == UInt8(ascii: "X") || byte == UInt8(ascii: ".") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) {
                throw error("not a JSON number (no leading zeros, hexadecimal or suffixes)")
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let value = Double(text) else { throw SyntaxError(offset: start, message: "not a JSON number") }
            return value
        }

        mutating func readString() throws(SyntaxError) -> String {
            try expect("\"")
            var utf8: [UInt8] = []
            while true {
                guard let byte = peek else { throw error("a string is never closed") }
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    guard let text = String(validating: utf8, as: UTF8.self) else {
                        throw error("a string is not valid UTF-8")
                    }
                    return text
                case UInt8(ascii: "\\"):
                    index += 1
                    try readEscape(into: &utf8)
                case 0..<0x20:
                    throw error("a control character inside a string must be escaped")
                default:
                    utf8.append(byte)
                    index += 1
                }
            }
        }

        mutating func readEscape(into utf8: inout [UInt8]) throws(SyntaxError) {
            guard let byte = peek else { throw error("a string is never closed") }
            index += 1
            let simple: [UInt8: UInt8] = [
                UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
                UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
            ]
            if let replacement = simple[byte] {
                utf8.append(replacement)
                return
            }
            guard byte == UInt8(ascii: "u") else { throw error("unknown escape \\\(Character(Unicode.Scalar(byte)))") }
            var code = try readHex4()
            if (0xD800..<0xDC00).contains(code) {
                guard peek == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error("a lone surrogate escape")
                }
                index += 2
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate escape") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(code) {
                throw error("a lone surrogate escape")
            }
            guard let scalar = Unicode.Scalar(code) else { throw error("an invalid \\u escape") }
            utf8.append(contentsOf: String(Character(scalar)).utf8)
        }

        mutating func readHex4() throws(SyntaxError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = peek, let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
                    throw error("expected four hexadecimal digits after \\u")
                }
                value = value * 16 + UInt32(digit)
                index += 1
            }
            return value
        }
    }
}
