import Testing
@testable import GPNav

@Suite struct TerminalTextTests {
    @Test(arguments: [
        ("\u{1B}]0;title\u{07}", "\\u{1B}]0;title\\u{7}"),
        ("a\rb\u{7F}c", "a\\u{D}b\\u{7F}c"),
        ("csi\u{9B}2J", "csi\\u{9B}2J"),
        ("line\nnext\ttab\u{0}", "line\\u{A}next\\u{9}tab\\u{0}"),
        ("abc\u{202E}fed\u{2066}x\u{2028}", "abc\\u{202E}fed\\u{2066}x\\u{2028}"),
        ("plain é 漢字 😀 \\u{1B}", "plain é 漢字 😀 \\u{1B}"),
    ])
    func controlCharactersAreWrittenAsTheirCodePoints(text: String, shown: String) {
        #expect(TerminalText.escaped(text) == shown)
    }

    @Test func reportLinesKeepTheirBreaksButNotAValuesBreaks() {
        #expect(TerminalText.escapedLines("study 'a\u{1B}[2J'\nnext\r\n") == "study 'a\\u{1B}[2J'\nnext\\u{D}\n")
    }

    @Test func exportedYAMLEscapesTheSameControlCharacters() {
        #expect(ArchitectureExport.quoted("a\u{9B}2J\u{202E}\u{1B}\"\\") == #""a\u009B2J\u202E\u001B\"\\""#)
    }
}
