extension Trial {
    /// How the error text of a trial given up as abandoned begins (no heartbeat within the lease,
    /// or its process gone): such a trial was not failed by its evaluator, so its architecture
    /// may be proposed again, and a late result for it is still taken.
    public static let abandonedPrefix = "abandoned:"

    /// Whether the trial was given up as abandoned rather than failed by its evaluator.
    public var isAbandoned: Bool {
        state == .failed && (error?.hasPrefix(Self.abandonedPrefix) ?? false)
    }

    /// How many times an architecture whose trials were all abandoned is proposed again
    /// (a training that keeps dying, e.g. of running out of memory, is then left alone).
    public static let abandonedRetries = 2
}
