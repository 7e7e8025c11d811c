#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How `gpnav serve` bounds its connections, so that idle or slow clients cannot hold every
/// socket (or file descriptor) and keep workers and `/healthz` out: a cap on open connections,
/// a time-out for a request's head, for its body and for a connection with no request.
public struct ConnectionLimits: Sendable, Equatable {
    /// The longest any of the time-outs may be: one day.
    public static let maximumSeconds: Double = 86_400
    /// The most connections the cap may allow.
    public static let maximumConnectionCap = 1_000_000

    /// Open connections at most; further ones wait in the listen backlog until one closes.
    public var maxConnections: Int
    /// Seconds from a request's first byte until its head (request line and headers) is complete.
    public var headerTimeout: Double
    /// Seconds from a request's head until its body is complete.
    public var bodyTimeout: Double
    /// Seconds a connection may stay open with no request in progress.
    public var idleTimeout: Double

    public init(maxConnections: Int = ConnectionLimits.defaultMaxConnections(), headerTimeout: Double = 10,
                bodyTimeout: Double = 30, idleTimeout: Double = 60) {
        self.maxConnections = maxConnections
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
    }

    /// Half the process's limit of open files, at least 16 and at most 1024: the other half
    /// stays for the database, the listening socket and the connections waiting to be accepted,
    /// so accepting never fails for want of a descriptor.
    public static func defaultMaxConnections() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 256 }
        // An unlimited (or huge) limit counts as 2048: the cap stays 1024 either way.
        let files = limit.rlim_cur > 1 << 20 ? 2048 : Int(limit.rlim_cur)
        return min(max(files / 2, 16), 1024)
    }

    /// Checks every limit against its range.
    public func validate() throws(ServerConfigurationError) {
        guard (1...Self.maximumConnectionCap).contains(maxConnections) else {
            throw .badLimit(name: "the connection cap", expected: "1 to \(Self.maximumConnectionCap)")
        }
        for (name, seconds) in [("the header time-out", headerTimeout), ("the body time-out", bodyTimeout),
                                ("the idle time-out", idleTimeout)] {
            guard seconds.isFinite, seconds > 0, seconds <= Self.maximumSeconds else {
                throw .badLimit(name: name, expected: "more than 0 and at most \(Int(Self.maximumSeconds)) seconds")
            }
        }
    }
}
