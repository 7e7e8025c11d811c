import Foundation

/// A name for a new study, checked and normalised: the one rule every way of creating a study
/// (search, evaluate, import, and later the server) applies.
///
/// A name is normalised to Unicode NFC, so that "é" typed precomposed or as "e" plus a combining
/// accent names one study. It must then be non-empty and not only white space, at most
/// ``maximumLength`` Unicode scalars, and free of control characters: the C0 and C1 controls
/// (general category Cc, with tab and line feed), DEL, the line and paragraph separators and the
/// bidirectional overrides and isolates (the set ``TerminalText`` escapes), which would make a
/// name print as something else, and free of ``shellSyntax``: the characters with which a shell
/// that parses the name again (a training command `sh -c '... {study}'` or `eval`, where the
/// placeholder's value becomes script text) would run or redirect something.
///
/// Existing studies are found by any form of their name (see ``lookupForms(of:)``), and names
/// stored before this rule keep working for reading, resuming and deleting.
public struct StudyName: Sendable, Hashable, CustomStringConvertible {
    /// The longest name accepted, in Unicode scalars.
    public static let maximumLength = 200

    /// Characters a POSIX shell reading a name as script text would give meaning to: command
    /// substitution and variables (`$`, backquote), quoting and escapes (`'`, `"`, `\`), command
    /// separators and pipes (`;`, `&`, `|`), redirection (`<`, `>`) and subshells (`(`, `)`).
    public static let shellSyntax: Set<Unicode.Scalar> = ["$", "`", "'", "\"", "\\", ";", "&", "|", "<", ">", "(", ")"]

    /// The name in NFC.
    public let text: String

    /// Checks and normalises `text`.
    /// - Throws: ``StudyNameError`` saying which rule the name breaks.
    public init(_ text: String) throws(StudyNameError) {
        let normalised = text.precomposedStringWithCanonicalMapping
        guard !normalised.trimmingCharacters(in: .whitespaces).isEmpty else { throw .empty }
        let length = normalised.unicodeScalars.count
        guard length <= Self.maximumLength else { throw .tooLong(length: length) }
        if let control = normalised.unicodeScalars.first(where: TerminalText.needsEscaping) {
            throw .controlCharacter(control)
        }
        if let shell = normalised.unicodeScalars.first(where: Self.shellSyntax.contains) {
            throw .shellCharacter(shell)
        }
        self.text = normalised
    }

    public var description: String { text }

    /// ``shellSyntax`` as one line for messages.
    static let shellSyntaxList = "$ ` ' \" \\ ; & | < > ( )"

    /// The forms under which a study named `name` may be stored: as given, then in NFC (the
    /// form names are created in), without repeats.
    public static func lookupForms(of name: String) -> [String] {
        let normalised = name.precomposedStringWithCanonicalMapping
        // Swift's == already equates canonically equivalent strings: compare the scalars.
        return normalised.unicodeScalars.elementsEqual(name.unicodeScalars) ? [name] : [name, normalised]
    }

    /// Whether two names are one study's: canonically equivalent (equal once both are in NFC),
    /// which is what Swift's `==` on strings tests.
    public static func sameStudy(_ first: String, _ second: String) -> Bool {
        first == second
    }
}

/// Why a study name was refused.
public enum StudyNameError: UserFacingError, Equatable {
    case empty
    case tooLong(length: Int)
    case controlCharacter(Unicode.Scalar)
    case shellCharacter(Unicode.Scalar)

    public var kind: FailureKind { .usage }

    public var description: String {
        switch self {
        case .empty:
            "a study name must not be empty or only spaces"
        case .tooLong(let length):
            "a study name may have at most \(StudyName.maximumLength) characters; this one has \(length)"
        case .controlCharacter(let scalar):
            "a study name must not contain control characters; this one contains U+\(String(format: "%04X", scalar.value))"
        case .shellCharacter(let scalar):
            "a study name must not contain any of \(StudyName.shellSyntaxList) (a shell reading the name would act on them); "
                + "this one contains \(scalar)"
        }
    }
}
