/// The rule for a host and TCP port that gpnav connects to (a PostgreSQL server, a gpnav server),
/// checked when the URL is parsed, so that a bad one is refused at once instead of being wrapped
/// into another port (99999 is 34463 in 16 bits) or retried forever.
public enum NetworkAddress {
    /// The longest host name DNS allows, in bytes.
    public static let maximumHostLength = 253

    /// Why `host` and `port` cannot be connected to, or nil when they can: the port must be 1 to
    /// 65535, and the host a DNS name or IP address (ASCII letters, digits, `.`, `-`, `_`, and for
    /// IPv6 `:`, `[`, `]` and `%`) of at most ``maximumHostLength`` bytes.
    public static func problem(host: String, port: Int) -> String? {
        guard (1...65_535).contains(port) else { return "port \(port) is outside 1 to 65535" }
        guard !host.isEmpty else { return "no host" }
        guard host.utf8.count <= maximumHostLength else {
            return "the host name has \(host.utf8.count) bytes; at most \(maximumHostLength) are allowed"
        }
        guard host.unicodeScalars.allSatisfy(isHostScalar) else {
            return "the host '\(TerminalText.escaped(host))' has a character no host name or address has"
        }
        return nil
    }

    private static func isHostScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || ".-_:[]%".unicodeScalars.contains(scalar)
    }
}
