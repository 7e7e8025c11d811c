/// Passwords in URLs, kept out of everything gpnav prints, logs or stores.
///
/// The one rule: in every `scheme://user:password@host...` inside a text, what follows the first
/// `:` of the user information is replaced by `***` (`http://alice:***@host:8470`). A URL's
/// authority runs from `://` to the next white space or quote, and its user information to the
/// last `@` there, so that a password with a stray `@` or `/` in it, or a text that is not a
/// valid URL at all, is masked too. A user name alone is not a secret and is kept.
public enum URLRedaction {
    /// The text shown in place of a password.
    public static let mask = "***"

    /// `text` with the password of every URL in it masked.
    public static func masked(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var output = ""
        var rest = Substring(text)
        while let separator = rest.range(of: "://") {
            output += String(rest[..<separator.upperBound])
            rest = rest[separator.upperBound...]
            let authorityEnd = rest.firstIndex { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == "<" || $0 == ">" }
                ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { continue }
            output += String(authority[...colon]) + mask
            rest = rest[at...]
        }
        return output + String(rest)
    }
}
