import Foundation
import Testing
@testable import GPNavServer

@Suite struct AuthenticationTests {
    @Test func healthAndDocumentNeedNoTokenButV1RoutesDo() async throws {
        try await withServer(token: "s3cret-token") { server in
            #expect(try await server.send("GET", "/healthz").status == 200)
            #expect(try await server.send("GET", "/healthz").json["status"] as? String == "ok")
            #expect(try await server.send("GET", "/openapi.json").status == 200)
            let missing = try await server.send("GET", "/v1/studies")
            #expect(missing.status == 401)
            #expect(missing.error == "missing or wrong bearer token")
            #expect(try await server.send("GET", "/metrics").status == 401)
            #expect(try await server.send("GET", "/v1/studies", token: "s3cret-token").status == 200)
        }
    }

    @Test func wrongPrefixAndLongerTokensAreRefused() async throws {
        try await withServer(token: "s3cret-token") { server in
            for token in ["wrong", "s3cret", "s3cret-toke", "s3cret-token-and-more", "S3CRET-TOKEN"] {
                #expect(try await server.send("GET", "/v1/studies", token: token).status == 401, "\(token)")
            }
            let basic = try await server.send("GET", "/v1/studies", headers: ["Authorization": "Basic s3cret-token"])
            #expect(basic.status == 401)
            // Doubled slashes reach the same route and still need the token.
            #expect(try await server.send("GET", "//v1/studies").status == 401)
        }
    }

    @Test func constantTimeComparisonNeedsEqualLengthAndBytes() {
        let equal = BearerTokenMiddleware<ServerRequestContext>.constantTimeEqual
        #expect(equal(Array("abc".utf8), Array("abc".utf8)))
        #expect(!equal(Array("ab".utf8), Array("abc".utf8)))
        #expect(!equal(Array("abd".utf8), Array("abc".utf8)))
        #expect(!equal([], Array("a".utf8)))
    }

    @Test func nonLoopbackHostWithoutTokenIsRefused() {
        #expect(throws: ServerConfigurationError.tokenRequired(host: "0.0.0.0")) {
            try ServerConfiguration(host: "0.0.0.0", token: nil).validate()
        }
        #expect(throws: Never.self) { try ServerConfiguration(host: "0.0.0.0", token: "t").validate() }
        #expect(throws: Never.self) { try ServerConfiguration(host: "127.0.0.5", token: nil).validate() }
        #expect(ServerConfiguration.isLoopback("::1"))
        #expect(!ServerConfiguration.isLoopback("10.0.0.1"))
        #expect(!ServerConfiguration.isLoopback("127.0.0.1.example.com"))
    }
}
