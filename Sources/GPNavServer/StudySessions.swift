import Foundation
import GPNav

/// The open ``StudySession`` of each study, one per name, so that a study's fitted model is
/// reused from one request to the next (the session refits only when the study's data changed).
/// Sessions re-optimise their model's hyperparameters in the background
/// (``ModelRefresh/background``), so that no ask waits for that search while workers queue.
actor StudySessions {
    let store: any TrialStore
    let leaseSeconds: Double
    private var sessions: [String: StudySession] = [:]

    init(store: any TrialStore, leaseSeconds: Double) {
        self.store = store
        self.leaseSeconds = leaseSeconds
    }

    /// The session of an existing study; throws the store's unknown-study error when missing.
    func session(named name: String) async throws -> StudySession {
        if let session = sessions[name] { return session }
        let session = try await StudySession.open(store: store, name: name, leaseSeconds: leaseSeconds,
                                                  refresh: .background)
        // Another request may have opened it while this one waited: keep the first.
        if let existing = sessions[name] { return existing }
        sessions[name] = session
        return session
    }

    /// Creates the study or opens it when it exists with the same settings; `created` says which.
    func createOrOpen(_ spec: StudySpec) async throws -> (session: StudySession, created: Bool) {
        let session = try await StudySession.open(store: store, spec: spec, mode: .createOrResume,
                                                  leaseSeconds: leaseSeconds, refresh: .background)
        if let existing = sessions[spec.name] { return (existing, session.wasCreated) }
        sessions[spec.name] = session
        return (session, session.wasCreated)
    }

    /// The sessions opened so far.
    var openSessions: [String: StudySession] { sessions }

    /// Stops every session's background hyperparameter searches and returns once none runs.
    func stopBackgroundSearches() async {
        for session in sessions.values { await session.stopBackgroundSearches() }
    }
}
