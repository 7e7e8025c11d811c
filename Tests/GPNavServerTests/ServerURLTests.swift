import Foundation
import GPNav
import Testing
@testable import GPNavServer

/// A worker's server URL is checked when it is parsed, and its origin is what the token is for.
@Suite struct ServerURLTests {
    @Test(arguments: [
        ("http://127.0.0.1:8470", "http://127.0.0.1:8470"),
        ("https://GPU-Host/prefix", "https://gpu-host:443"),
        ("http://example.org", "http://example.org:80"),
    ])
    func usableURLsGiveTheirOrigin(text: String, origin: String) throws {
        #expect(try ServerURL(text).origin.description == origin)
    }

    @Test(arguments: [
        "http://127.0.0.1:99999", "http://127.0.0.1:0", "http://h:8470\n", "http://h\t:1", "ftp://h:1", "http://:1",
        "http://h:1/?token=x", "http://h:1/#f", "http://" + String(repeating: "a", count: 300) + ":1", "h:8470", "",
    ])
    func unusableURLsAreRefused(text: String) {
        #expect(throws: ServerURLError.self) { try ServerURL(text) }
    }

    @Test func aRefusalNeverShowsThePassword() throws {
        do {
            _ = try ServerURL("http://alice:hunter2@h:99999")
            Issue.record("accepted")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(error.description.contains("port 99999"))
        }
    }

    @Test func theOriginComparesSchemeHostAndPort() throws {
        let origin = try ServerURL("http://h:8470/base").origin
        #expect(Origin(try #require(URL(string: "http://H:8470/other"))) == origin)
        #expect(Origin(try #require(URL(string: "https://h:8470/"))) != origin)
        #expect(Origin(try #require(URL(string: "http://h:8471/"))) != origin)
        #expect(Origin(try #require(URL(string: "http://g:8470/"))) != origin)
    }
}
