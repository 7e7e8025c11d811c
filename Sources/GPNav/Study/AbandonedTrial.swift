extension Trial {
    /// Whether the study gave the trial up (no heartbeat within the lease, or its process gone)
    /// rather than its evaluator failing it: its architecture may be proposed again, and a late
    /// result for it is still taken (see ``TrialLifecycle``).
    public var isAbandoned: Bool { state == .abandoned }

    /// How many times an architecture whose trials were all abandoned is proposed again
    /// (a training that keeps dying, e.g. of running out of memory, is then left alone).
    public static let abandonedRetries = 2
}
