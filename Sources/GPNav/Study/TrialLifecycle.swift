import Foundation
import MobileViT

/// The rules of a trial's life, once, above every store: starting and claiming trials, ending
/// them, giving up on those whose process went quiet or away, retrying their architectures, and
/// taking a result that comes late. A store only keeps the data and offers the primitives these
/// rules are built from (``TrialStore/insertTrial(_:claimKey:)``,
/// ``TrialStore/compareAndSetTrial(id:expected:lastSeenBefore:outcome:signOfLife:)`` and queries).
///
/// - A **claim** stores a running trial of an architecture only when the study has none of it, so
///   that processes that propose alike from the same data evaluate it once. The architecture's
///   canonical text and the attempt (`#0`, `#1`, ...) form the claim key that the store keeps
///   unique per study, so that of claims racing for one attempt exactly one is stored.
/// - A trial whose last sign of life (heartbeat, else start) is older than the lease, or whose
///   process on this host is gone (``WorkerIdentity``), is **reaped**: it becomes
///   ``TrialState/abandoned``. Each change is a compare-and-set from `running`, so a result or a
///   heartbeat that lands first wins, and two reapers reap a trial once.
/// - An architecture whose trials were all abandoned may be **claimed again**, up to a number of
///   retries (``Trial/abandonedRetries`` for searches); a training that keeps dying is then left alone.
/// - A **late result** for an abandoned trial completes it (the caller decides whether the study
///   still wants it).
///
/// A claim reads the architecture's trials, then inserts under its key; claims racing each other
/// are settled by the key, but a trial stored without a key in between (`gpnav evaluate`'s
/// ``start(_:)``) or a late result for the abandoned trial a retry is claimed for is not seen, and
/// the architecture is then evaluated once more: a lost evaluation at worst, never a lost trial.
public struct TrialLifecycle: Sendable {
    public let store: any TrialStore
    /// The study whose trials these are, as stored (with its row id).
    public let study: Study

    public init(store: any TrialStore, study: Study) {
        self.store = store
        self.study = study
    }

    /// Stores `trial` in the study as it starts: running, with no result yet, alive since it
    /// started; no other trial of its architecture is looked at (`gpnav evaluate`).
    public func start(_ trial: Trial) async throws -> Trial {
        guard let stored = try await store.insertTrial(try running(trial), claimKey: nil) else {
            throw StoreError.backend(store: "\(type(of: store))", message: "an insert without a claim key stored nothing")
        }
        return stored
    }

    /// Stores `trial` running, only if its study has no trial of its architecture; nil when it
    /// has one (or another claim of the same attempt won). With `retries`, trials of the
    /// architecture that were all abandoned do not count while there are at most `retries` of them.
    public func claim(_ trial: Trial, retryingAbandonedUpTo retries: Int? = nil) async throws -> Trial? {
        let existing = try await store.trials(TrialQuery(study: study.name, architecture: trial.architecture, details: false))
        guard !Self.takes(existing, retryingAbandonedUpTo: retries) else { return nil }
        // Every trial there is abandoned: this is the next attempt.
        return try await store.insertTrial(try running(trial), claimKey: Self.claimKey(trial.architecture, attempt: existing.count))
    }

    /// Whether `trials`, all of one architecture, take it from a claim: any trial does, except
    /// that abandoned ones do not while they are all there is and at most `retries` of them.
    public static func takes(_ trials: [Trial], retryingAbandonedUpTo retries: Int?) -> Bool {
        guard !trials.isEmpty else { return false }
        guard let retries else { return true }
        return trials.contains { $0.state != .abandoned } || trials.count > retries
    }

    /// Ends running trial `id` with `outcome` (complete, failed or pruned).
    /// - Throws: ``StoreError/trialNotRunning(number:state:)`` when it is not running (any more).
    public func finish(id: Int64, outcome: TrialOutcome) async throws {
        guard try await store.compareAndSetTrial(id: id, expected: .running, lastSeenBefore: nil, outcome: outcome,
                                                 signOfLife: true) else {
            throw try await notRunning(id)
        }
    }

    /// Abandons running trial `id` because whoever ran it stopped it (Ctrl-C, SIGTERM), not
    /// because its training failed: like a reaped trial, its architecture may be claimed again.
    /// - Throws: ``StoreError/trialNotRunning(number:state:)`` when it is not running (any more).
    public func abandon(id: Int64, reason: String) async throws {
        guard try await store.compareAndSetTrial(id: id, expected: .running, lastSeenBefore: nil,
                                                 outcome: TrialOutcome(state: .abandoned, error: reason),
                                                 signOfLife: false) else {
            throw try await notRunning(id)
        }
    }

    /// Continues pruned trial `id` for `worker`: it is running again, alive now, with no end
    /// time, and keeps its number, its curve and its epochs (a paused training resumed; only a
    /// caller whose training can continue from where it stopped may do this).
    /// - Throws: ``StoreError/trialNotRunning(number:state:)`` when it is not pruned (any more).
    public func resume(id: Int64, worker: String) async throws {
        guard try await store.compareAndSetTrial(id: id, expected: .pruned, lastSeenBefore: nil,
                                                 outcome: TrialOutcome(state: .running, worker: worker),
                                                 signOfLife: true) else {
            throw try await notRunning(id)
        }
    }

    /// Completes abandoned trial `id` with the result that came late.
    /// - Throws: ``StoreError/trialNotRunning(number:state:)`` when it is not abandoned (any more).
    public func completeLate(id: Int64, outcome: TrialOutcome) async throws {
        var complete = outcome
        complete.state = .complete
        complete.error = nil
        guard try await store.compareAndSetTrial(id: id, expected: .abandoned, lastSeenBefore: nil, outcome: complete,
                                                 signOfLife: true) else {
            throw try await notRunning(id)
        }
    }

    /// Abandons the study's running trials whose last sign of life is older than `cutoff`, or
    /// whose process on this host is gone, with the reason as their error; returns how many.
    /// - Throws: ``StoreError/unknownStudy(_:known:)`` when the study is not stored.
    public func reap(lastSeenBefore cutoff: Date) async throws -> Int {
        var reaped = 0
        for trial in try await store.trials(TrialQuery(study: study.name, state: .running, details: false)) {
            guard let id = trial.id else { continue }
            let lastSeen = trial.heartbeatAt ?? trial.startedAt
            let changed: Bool
            if lastSeen < cutoff {
                // Compared again in the store: a heartbeat that lands meanwhile keeps the trial.
                changed = try await store.compareAndSetTrial(
                    id: id, expected: .running, lastSeenBefore: cutoff,
                    outcome: TrialOutcome(state: .abandoned, error: "no heartbeat since \(StoreTime.text(lastSeen))"),
                    signOfLife: false)
            } else if let worker = trial.worker, WorkerIdentity.isGone(worker) {
                changed = try await store.compareAndSetTrial(
                    id: id, expected: .running, lastSeenBefore: nil,
                    outcome: TrialOutcome(state: .abandoned, error: "its process \(worker) is gone"), signOfLife: false)
            } else {
                continue
            }
            if changed { reaped += 1 }
        }
        return reaped
    }

    /// The key under which a claim of `architecture` for its `attempt` (0 for the first, n after
    /// n abandoned trials) is stored: its canonical text, which names its family, `#`, the attempt.
    /// Stores written before abandoned was a state hold keys of this form already (PostgreSQL).
    static func claimKey(_ architecture: Architecture, attempt: Int) -> String {
        architecture.canonicalJSON + "#\(attempt)"
    }

    /// `trial` as it starts in the study: running, with no result yet, alive since it started.
    private func running(_ trial: Trial) throws -> Trial {
        guard let studyID = study.id else { throw StoreError.unknownStudy(study.name, known: []) }
        var running = trial
        running.studyID = studyID
        running.state = .running
        running.accuracy = nil
        running.error = nil
        running.finishedAt = nil
        running.heartbeatAt = running.heartbeatAt ?? running.startedAt
        return running
    }

    /// Why trial `id` could not be changed: unknown, or in another state.
    private func notRunning(_ id: Int64) async throws -> StoreError {
        guard let trial = try await store.trials(ids: [id]).first else { return StoreError.unknownTrial(id) }
        return StoreError.trialNotRunning(number: trial.number, state: trial.state)
    }
}
