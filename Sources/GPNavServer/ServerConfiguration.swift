import Foundation
import GPNav

/// How `gpnav serve` listens and guards its studies.
public struct ServerConfiguration: Sendable {
    /// The address to bind, e.g. `127.0.0.1`.
    public var host: String
    /// The TCP port; 0 lets the system pick a free one.
    public var port: Int
    /// The bearer token every `/v1` request must carry; nil serves without authentication
    /// (allowed on loopback addresses only).
    public var token: String?
    /// Seconds a running trial may go without a heartbeat before the reaper fails it.
    public var leaseSeconds: Double
    /// Seconds between two passes of the reaper.
    public var reapInterval: Double
    /// How connections are bounded: their number and how long each may take.
    public var connections: ConnectionLimits
    /// How many studies keep their session (planner and fitted model) in memory between requests.
    public var studyCache: StudyCacheLimits
    /// Whether the API's write routes and the reaper run (`gpnav serve`), or only the dashboard and
    /// the read routes (`gpnav dashboard`).
    public var access: ServerAccess

    public init(host: String = "127.0.0.1", port: Int = 8470, token: String? = nil, leaseSeconds: Double = 120,
                reapInterval: Double? = nil, connections: ConnectionLimits = ConnectionLimits(),
                studyCache: StudyCacheLimits = StudyCacheLimits(), access: ServerAccess = .readWrite) {
        self.host = host
        self.port = port
        self.token = token
        self.leaseSeconds = leaseSeconds
        self.reapInterval = reapInterval ?? min(max(leaseSeconds / 4, 0.25), 30)
        self.connections = connections
        self.studyCache = studyCache
        self.access = access
    }

    /// Whether `host` names this machine only (127.0.0.0/8, ::1, localhost).
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return false }
        return parts[0] == "127"
    }

    /// Checks the settings; a non-loopback host needs a token.
    public func validate() throws(ServerConfigurationError) {
        guard (0...65_535).contains(port) else { throw .badPort(port) }
        guard (try? Seconds(leaseSeconds)) != nil else { throw .badLease(leaseSeconds) }
        if let token, token.isEmpty || token.contains(where: \.isWhitespace) { throw .badToken }
        if token == nil, !Self.isLoopback(host) { throw .tokenRequired(host: host) }
        try connections.validate()
        try studyCache.validate()
    }
}

/// Why the server cannot start with the settings given.
public enum ServerConfigurationError: UserFacingError, Sendable, Equatable {
    case badPort(Int)
    case badLease(Double)
    /// An empty token, or one with white space (it could not be sent in an Authorization header).
    case badToken
    /// A host other than loopback without a token would open the studies to the network.
    case tokenRequired(host: String)
    /// A limit of connections or of the study cache outside its range; the option and the range in words.
    case badLimit(name: String, expected: String)

    public var kind: FailureKind { .usage }

    public var description: String {
        switch self {
        case .badPort(let port): "port \(port) is outside 0...65535"
        case .badLease(let seconds): "lease of \(seconds) seconds is not more than 0 and at most \(Int(Seconds.maximum)) (365 days)"
        case .badToken: "the token is empty or contains white space"
        case .tokenRequired(let host): "refusing to serve on non-loopback host \(host) without a token"
        case .badLimit(let name, let expected): "\(name) must be \(expected)"
        }
    }
}
