import Testing
@testable import GPNav

/// Passwords in URLs are masked wherever a URL appears in a text.
@Suite struct URLRedactionTests {
    @Test(arguments: [
        ("http://alice:hunter2@127.0.0.1:8470", "http://alice:***@127.0.0.1:8470"),
        ("GET http://u:p@h/v1/studies/s: Could not connect", "GET http://u:***@h/v1/studies/s: Could not connect"),
        ("postgresql://gpnav:p@ss/word@db:5432/x", "postgresql://gpnav:***@db:5432/x"),
        ("a http://a:1@x and https://b:2@y", "a http://a:***@x and https://b:***@y"),
        ("http://token-as-user@host", "http://token-as-user@host"),
        ("http://host:8470/path", "http://host:8470/path"),
        ("no url here", "no url here"),
        ("'postgresql://u:secret@h/d'", "'postgresql://u:***@h/d'"),
    ])
    func passwordsAreMaskedAndTheRestIsKept(text: String, masked: String) {
        #expect(URLRedaction.masked(text) == masked)
    }

    @Test func thePostgreSQLRedactionIsTheSameRule() {
        #expect(PostgresURL.redacting("postgresql://u:secret@h:5432/d") == "postgresql://u:***@h:5432/d")
    }
}
