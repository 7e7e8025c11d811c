import Foundation
import GPNav

/// The base URL of a gpnav server, as a worker is given it: checked once, when it is parsed.
///
/// It is an `http` or `https` URL with a host and port that can be connected to (see
/// ``GPNav/NetworkAddress``), no white space or control characters anywhere, and no query or
/// fragment (the API's paths are added to it). A path is allowed, for a server behind a proxy at
/// a prefix. Messages show it with its password masked (``GPNav/URLRedaction``).
public struct ServerURL: Sendable, CustomStringConvertible {
    /// The longest URL accepted, in bytes.
    public static let maximumLength = 2048

    public let url: URL
    /// Where requests may go with the token: this URL's scheme, host and port.
    public let origin: Origin

    /// Parses `text`.
    /// - Throws: ``ServerURLError`` saying what is wrong, with any password masked.
    public init(_ text: String) throws(ServerURLError) {
        let shown = URLRedaction.masked(String(text.prefix(200)))
        func refuse(_ problem: String) -> ServerURLError { ServerURLError(shown: shown, problem: problem) }
        guard text.utf8.count <= Self.maximumLength else {
            throw refuse("the URL has \(text.utf8.count) bytes; at most \(Self.maximumLength) are allowed")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || TerminalText.needsEscaping($0) }) else {
            throw refuse("the URL contains white space or a control character")
        }
        guard let components = URLComponents(string: text), let url = components.url,
              let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw refuse("expected an http:// or https:// URL, e.g. http://127.0.0.1:8470")
        }
        guard components.query == nil, components.fragment == nil else {
            throw refuse("a server URL has no query or fragment")
        }
        let host = components.host ?? ""
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        if let problem = NetworkAddress.problem(host: host, port: port) { throw refuse(problem) }
        self.url = url
        self.origin = Origin(scheme: scheme, host: host.lowercased(), port: port)
    }

    public var description: String { URLRedaction.masked(url.absoluteString) }
}

/// The scheme, host and port of a URL: what RFC 6454 calls its origin. Credentials may go only
/// to the origin they were given for.
public struct Origin: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int

    /// The origin of `url`; nil when it has no http(s) scheme or no host.
    public init?(_ url: URL) {
        guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else { return nil }
        self.init(scheme: scheme, host: host.lowercased(), port: url.port ?? (scheme == "https" ? 443 : 80))
    }

    public init(scheme: String, host: String, port: Int) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    public var description: String { "\(scheme)://\(host):\(port)" }
}

/// Why a server URL cannot be used.
public struct ServerURLError: UserFacingError, Equatable {
    /// The URL as given, shortened, its password masked.
    public var shown: String
    public var problem: String

    public var kind: FailureKind { .usage }
    public var description: String { "'\(TerminalText.escaped(shown))': \(problem)" }
}
