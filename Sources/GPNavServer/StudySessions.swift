import Foundation
import GPNav
import Logging

/// The open ``StudySession`` of each study, one per name, so that a study's planner and fitted
/// model are reused from one ask to the next (the session refits only when the study's data
/// changed). Sessions re-optimise their model's hyperparameters in the background
/// (``ModelRefresh/background``), so that no ask waits for that search while workers queue.
///
/// Memory is bounded (``StudyCacheLimits``): beyond the number of studies, or the bytes their
/// sessions estimate they hold, the least recently used sessions are closed (their background
/// searches stopped) and a later request opens the study again from the store. A session
/// holds nothing the store does not, so a reopened study answers as before. Requests that only
/// read a study or record a trial's heartbeat or result use the open session when there is one
/// and otherwise a session made for that request alone, so that only asks decide what stays open.
actor StudySessions {
    let store: any TrialStore
    let leaseSeconds: Double
    let limits: StudyCacheLimits
    private let logger: Logger

    private struct Entry {
        var session: StudySession
        /// When the session was last used, in ``useCount`` ticks.
        var lastUse: UInt64
    }

    private var sessions: [String: Entry] = [:]
    private var useCount: UInt64 = 0
    /// Closed sessions whose background searches are still being stopped, by a number of their own.
    private var closing: [Int: Task<Void, Never>] = [:]
    private var closingCount = 0
    /// Sessions closed to stay within the limits, since the server started.
    private(set) var evictions = 0

    init(store: any TrialStore, leaseSeconds: Double, limits: StudyCacheLimits = StudyCacheLimits(),
         logger: Logger = Logger(label: "gpnav.serve")) {
        self.store = store
        self.leaseSeconds = leaseSeconds
        self.limits = limits
        self.logger = logger
    }

    /// The session of an existing study, kept open for the next request (the one asks use).
    /// Throws the store's unknown-study error when missing.
    func session(named name: String) async throws -> StudySession {
        if let entry = sessions[name] {
            touch(name)
            return entry.session
        }
        let session = try await StudySession.open(store: store, name: name, leaseSeconds: leaseSeconds,
                                                  refresh: .background)
        // Another request may have opened it while this one waited: keep the first.
        if let existing = sessions[name] {
            touch(name)
            return existing.session
        }
        keep(session, as: name)
        return session
    }

    /// The open session of the study, or one made for this request alone (not kept): for reads,
    /// heartbeats and results, which need no planner or model.
    func sessionForRecording(named name: String) async throws -> StudySession {
        if let entry = sessions[name] { return entry.session }
        return try await StudySession.open(store: store, name: name, leaseSeconds: leaseSeconds, refresh: .inline)
    }

    /// Creates the study or opens it when it exists with the same settings; `created` says which.
    func createOrOpen(_ name: String, settings: StudySettings) async throws -> (session: StudySession, created: Bool) {
        let session = try await StudySession.open(store: store, name: name, settings: settings, mode: .createOrConfirm,
                                                  leaseSeconds: leaseSeconds, refresh: .background)
        if let existing = sessions[name] {
            touch(name)
            return (existing.session, session.wasCreated)
        }
        keep(session, as: name)
        return (session, session.wasCreated)
    }

    /// The sessions open now.
    var openSessions: [String: StudySession] { sessions.mapValues(\.session) }

    /// What the open sessions hold together, by their own estimates.
    var cachedBytes: Int { sessions.values.reduce(0) { $0 + $1.session.approximateCachedBytes } }

    /// Stops every session's background hyperparameter searches (those of closed sessions
    /// included) and returns once none runs.
    func stopBackgroundSearches() async {
        for entry in sessions.values { await entry.session.stopBackgroundSearches() }
        for task in closing.values { await task.value }
    }

    private func touch(_ name: String) {
        useCount += 1
        sessions[name]?.lastUse = useCount
        closeBeyondLimits(keeping: name)
    }

    private func keep(_ session: StudySession, as name: String) {
        useCount += 1
        sessions[name] = Entry(session: session, lastUse: useCount)
        closeBeyondLimits(keeping: name)
    }

    /// Closes the least recently used sessions while there are too many or they hold too much;
    /// `keeping` (the one in use) stays even when it alone is over the memory bound.
    private func closeBeyondLimits(keeping name: String) {
        var total = cachedBytes
        while sessions.count > limits.maxStudies || (total > limits.maxBytes && sessions.count > 1) {
            guard let (victim, entry) = sessions.filter({ $0.key != name }).min(by: { $0.value.lastUse < $1.value.lastUse })
            else { return }
            sessions[victim] = nil
            let bytes = entry.session.approximateCachedBytes
            total -= bytes
            evictions += 1
            logger.info("study closed", metadata: [
                "event": "study_evicted", "study": "\(victim)", "estimated_bytes": "\(bytes)",
                "open_studies": "\(sessions.count)",
            ])
            closingCount += 1
            let number = closingCount
            let session = entry.session
            closing[number] = Task {
                await session.stopBackgroundSearches()
                await self.closed(number)
            }
        }
    }

    private func closed(_ number: Int) {
        closing[number] = nil
    }
}
