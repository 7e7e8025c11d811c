import Foundation

/// Where a PostgreSQL trial store lives, parsed from `postgresql://user:password@host:port/database`
/// (or `postgres://`). An optional `?schema=NAME` keeps gpnav's tables in that schema instead of
/// `public`, so that several stores can share one database (the tests use one schema each).
///
/// The password is kept only to connect: ``redacted`` and ``description`` never show it.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// The schema that holds gpnav's tables; nil for the database's default (`public`).
    public var schema: String?

    /// The URL schemes that name PostgreSQL.
    public static let schemes = ["postgresql", "postgres"]

    /// Whether `text` names a PostgreSQL store (by its scheme), whether or not it is valid.
    public static func names(_ text: String) -> Bool {
        schemes.contains { text.lowercased().hasPrefix($0 + "://") }
    }

    /// Parses `text`.
    /// - Throws: ``StoreError/invalidLocation(_:reason:)`` with the password redacted.
    public init(_ text: String) throws(StoreError) {
        let shown = Self.redacting(text)
        guard Self.names(text), let components = URLComponents(string: text) else {
            throw .invalidLocation(shown, reason: "expected postgresql://user:password@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidLocation(shown, reason: "no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw .invalidLocation(shown, reason: "no user name")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw .invalidLocation(shown, reason: "no database name after the host")
        }
        var schema: String?
        for item in components.queryItems ?? [] {
            guard item.name == "schema", let value = item.value, !value.isEmpty else {
                throw .invalidLocation(shown, reason: "unknown parameter '\(item.name)' (only 'schema' is known)")
            }
            guard value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw .invalidLocation(shown, reason: "a schema name has only letters, digits and '_'")
            }
            schema = value.lowercased()
        }
        self.user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? user
        self.password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        let port = components.port ?? 5432
        if let problem = NetworkAddress.problem(host: host, port: port) {
            throw .invalidLocation(shown, reason: problem)
        }
        self.host = host
        self.port = port
        self.database = database.removingPercentEncoding ?? database
        self.schema = schema
    }

    /// The URL without its password (`***` in its place), for messages and listings.
    public var redacted: String {
        let credentials = user + (password == nil ? "" : ":" + URLRedaction.mask)
        return "postgresql://\(credentials)@\(host):\(port)/\(database)" + (schema.map { "?schema=\($0)" } ?? "")
    }

    public var description: String { redacted }

    /// `text` with the password of its URL masked (see ``URLRedaction``). Works on text that does
    /// not parse, so that an error about a bad URL cannot show its password.
    public static func redacting(_ text: String) -> String {
        URLRedaction.masked(text)
    }
}
