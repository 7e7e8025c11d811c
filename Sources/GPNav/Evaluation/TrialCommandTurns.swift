/// One training command at a time per trial's files.
///
/// A paused training (pruned, then continued: ``EvaluationRequest/resumedAfterEpoch``) may be
/// handed to another evaluation slot while the command that was stopped is still in its grace
/// period between SIGTERM and SIGKILL. Both would then read and write the same checkpoint; so a
/// command waits for its turn, which comes when the earlier command of the same trial has exited.
actor TrialCommandTurns {
    static let shared = TrialCommandTurns()

    private var taken: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Returns once no other command holds `key` (a trial's configuration path), holding it.
    func take(_ key: String) async {
        guard taken.contains(key) else {
            taken.insert(key)
            return
        }
        await withCheckedContinuation { waiting[key, default: []].append($0) }
    }

    /// Hands `key` to the next command waiting for it, or frees it.
    func give(_ key: String) {
        guard var queue = waiting[key], !queue.isEmpty else {
            taken.remove(key)
            return
        }
        let next = queue.removeFirst()
        waiting[key] = queue.isEmpty ? nil : queue
        next.resume()
    }
}
