/// Text from data (study names, evaluator output, error messages) made safe to show on a terminal.
///
/// A terminal acts on control characters: ESC starts sequences that move the cursor, recolour,
/// retitle the window or rewrite what was printed; CR returns to the line's start; BEL rings.
/// ``escaped(_:)`` writes each such character visibly as `\u{1B}` (its code point in hex), so
/// that a name like `"\u{1B}]0;pwned\u{07}"` prints as text and changes nothing. Escaped are the
/// C0 controls U+0000 to U+001F (tab and line feed too: one value stays on one line), DEL, the C1
/// controls U+0080 to U+009F, the line and paragraph separators U+2028 and U+2029, and the
/// bidirectional embeddings, overrides and isolates U+202A to U+202E and U+2066 to U+2069, which
/// reorder what is shown. Everything else is kept as it is.
public enum TerminalText {
    /// Whether `scalar` is written escaped.
    public static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// `text` with every control character written as `\u{HEX}`; linear in the text's length.
    public static func escaped(_ text: String) -> String {
        escaped(text, keepingLineFeeds: false)
    }

    /// Several lines, each escaped, with their line feeds kept: for reports whose own line breaks
    /// are meant (a value's CR, or CR before LF, is still escaped).
    public static func escapedLines(_ text: String) -> String {
        escaped(text, keepingLineFeeds: true)
    }

    private static func escaped(_ text: String, keepingLineFeeds: Bool) -> String {
        func escapes(_ scalar: Unicode.Scalar) -> Bool {
            needsEscaping(scalar) && !(keepingLineFeeds && scalar == "\n")
        }
        guard text.unicodeScalars.contains(where: escapes) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if escapes(scalar) {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}
