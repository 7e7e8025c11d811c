import Hummingbird

/// Requires `Authorization: Bearer TOKEN` (the scheme in any case) on every route but the open ones (`/healthz`,
/// `/openapi.json`, the dashboard page's own files) when a token is set. The token is compared in constant time, so the time a
/// refusal takes says nothing about how much of a guess was right.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The expected token's bytes; nil when the server runs without authentication.
    let token: [UInt8]?
    /// Paths served without a token.
    static var openPaths: Set<String> { Set(["/healthz", "/openapi.json"]).union(DashboardAsset.openPaths) }

    init(token: String?) {
        self.token = token.map { Array($0.utf8) }
    }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token, !Self.openPaths.contains(request.uri.path) else {
            return try await next(request, context)
        }
        // Two Authorization headers are refused: a proxy may check one and this server the other.
        let headers = request.headers[values: .authorization]
        guard headers.count == 1, let header = headers.first, let credentials = Self.bearerCredentials(header),
              Self.constantTimeEqual(credentials, token) else {
            throw APIError.unauthorized
        }
        return try await next(request, context)
    }

    /// The credentials of a `Bearer` authorization header, nil for another scheme. The scheme is
    /// matched without regard to case and may be followed by several spaces (RFC 7235, 2.1).
    static func bearerCredentials(_ header: String) -> [UInt8]? {
        let bytes = Array(header.utf8)
        let scheme = Array("bearer".utf8)
        guard bytes.count > scheme.count, bytes[scheme.count] == UInt8(ascii: " "),
              zip(bytes, scheme).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        return Array(bytes.dropFirst(scheme.count).drop { $0 == UInt8(ascii: " ") })
    }

    /// Whether `a` and `b` are equal, in time that depends on their lengths only.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt64(a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= UInt64(x ^ y)
        }
        return difference == 0
    }
}

/// A body whose declared length is over the limit is refused before it is read; one without a
/// declared length is refused when reading it passes the limit (``ServerRequestContext``).
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > ServerLimits.maxBodyBytes {
            throw APIError.bodyTooLarge
        }
        return try await next(request, context)
    }
}
