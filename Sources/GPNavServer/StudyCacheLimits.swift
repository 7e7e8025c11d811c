/// How many studies `gpnav serve` keeps open in memory (each with its candidate pool, planner and
/// fitted model) between requests; the least recently used beyond either bound are closed and
/// opened again, from the store, when next asked for.
public struct StudyCacheLimits: Sendable, Equatable {
    /// The most studies the count bound may allow.
    public static let maximumStudies = 100_000

    /// Open studies at most.
    public var maxStudies: Int
    /// Bytes the open studies may hold together, by their own estimate
    /// (``GPNav/StudySession/approximateCachedBytes``); the study in use stays open even alone over it.
    public var maxBytes: Int

    public init(maxStudies: Int = 64, maxBytes: Int = 1 << 30) {
        self.maxStudies = maxStudies
        self.maxBytes = maxBytes
    }

    /// Checks both bounds against their range.
    public func validate() throws(ServerConfigurationError) {
        guard (1...Self.maximumStudies).contains(maxStudies) else {
            throw .badLimit(name: "the number of cached studies", expected: "1 to \(Self.maximumStudies)")
        }
        guard maxBytes >= 1 << 20 else { throw .badLimit(name: "the study cache's memory", expected: "at least 1 MiB") }
    }
}
