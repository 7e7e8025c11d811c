import Foundation
import GPNav
import MobileViT

/// What the dashboard polls (`GET /dashboard/live`): each study's trial counts by state, best
/// accuracy within budget and running trials (worker, start, last heartbeat), read in two small
/// queries whatever the studies' sizes: the store's study summaries (one grouped count) and the
/// running trials of every study without their details.
///
/// Each study carries a `version` that changes whenever a trial is added or changes state, its
/// best accuracy or its settings change: the page re-reads a study's trials and pictures only
/// when it does, and the picture routes use it as their entity tag. Heartbeats change the
/// snapshot (its entity tag) but not the version, so a heartbeat redraws no picture. Versions and
/// entity tags are hashes seeded per process: a restarted server makes every client read once more.
struct DashboardSnapshot: Sendable {
    /// One study's state, as the page reads it.
    struct StudyState: Encodable, Sendable {
        var name: String
        var version: String
        /// The registered name of the study's architecture family.
        var family: String
        /// The family's factor names (`resolution`, `width`, ...), the axes a cube picture takes.
        var factors: [String]
        /// All trials of the study, every state.
        var trials: Int
        /// Trials by state (`running`, `complete`, `failed`, `pruned`, `abandoned`), zero included.
        var counts: [String: Int]
        /// Best accuracy (%) among complete trials within the study's budgets.
        var bestAccuracy: Double?
        /// The running trials, by number.
        var running: [RunningTrial]

        private enum CodingKeys: String, CodingKey {
            case name, version, family, factors, trials, counts, bestAccuracy = "best_accuracy", running
        }
    }

    /// A running trial: who runs it and its last sign of life.
    struct RunningTrial: Encodable, Sendable {
        var number: Int
        var worker: String?
        var startedAt: String
        var heartbeatAt: String?

        private enum CodingKeys: String, CodingKey {
            case number, worker, startedAt = "started_at", heartbeatAt = "heartbeat_at"
        }
    }

    private struct Body: Encodable {
        var studies: [StudyState]
    }

    let studies: [StudyState]
    /// The JSON answer, `{"studies":[...]}`.
    let body: Data
    /// The quoted entity tag of ``body``.
    let entityTag: String

    init(studies: [StudyState]) {
        self.studies = studies
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and finite doubles only (the store keeps no NaN accuracy): encoding cannot fail.
        body = (try? encoder.encode(Body(studies: studies))) ?? Data(#"{"studies":[]}"#.utf8)
        var hasher = Hasher()
        // Every byte: `Data`'s own hash reads only the first few.
        body.withUnsafeBytes { hasher.combine(bytes: $0) }
        entityTag = "\"" + Self.hex(hasher.finalize()) + "\""
    }

    /// Reads the snapshot of every study in `store`.
    static func read(from store: any TrialStore) async throws -> DashboardSnapshot {
        let summaries = try await store.studySummaries()
        let running = try await store.trials(TrialQuery(state: .running, details: false))
        var runningByStudy: [Int64: [Trial]] = [:]
        for trial in running { runningByStudy[trial.studyID, default: []].append(trial) }
        return DashboardSnapshot(studies: summaries.map { summary in
            let trials = (summary.study.id.flatMap { runningByStudy[$0] } ?? []).sorted { $0.number < $1.number }
            return StudyState(
                name: summary.study.name, version: version(of: summary), family: summary.study.family,
                factors: summary.study.space.factors.map(\.argument), trials: summary.counts.values.reduce(0, +),
                counts: Dictionary(uniqueKeysWithValues: TrialState.allCases.map { ($0.rawValue, summary.counts[$0] ?? 0) }),
                bestAccuracy: summary.bestAccuracy,
                running: trials.map { trial in
                    RunningTrial(number: trial.number, worker: trial.worker, startedAt: TrialExport.timeText(trial.startedAt),
                                 heartbeatAt: trial.heartbeatAt.map(TrialExport.timeText))
                })
        })
    }

    /// The state of the study named `name`, nil when there is none.
    func study(named name: String) -> StudyState? {
        studies.first { $0.name == name }
    }

    /// Changes when a trial of the study is added or changes state (every change of state moves
    /// a count: running to complete, failed or pruned, and an abandoned trial's late result from
    /// failed to complete), when its best accuracy changes, or when its settings do.
    private static func version(of summary: StudySummary) -> String {
        var hasher = Hasher()
        hasher.combine(summary.study)
        for state in TrialState.allCases { hasher.combine(summary.counts[state] ?? 0) }
        hasher.combine(summary.bestAccuracy?.bitPattern)
        return hex(hasher.finalize())
    }

    /// Sixteen hexadecimal digits.
    static func hex(_ hash: Int) -> String {
        let digits = String(UInt64(bitPattern: Int64(hash)), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// The latest ``DashboardSnapshot``, read at most once per `maxAge` however many pages poll:
/// pollers within that time share one read, and a poll while a read runs waits for it.
actor DashboardSnapshots {
    let store: any TrialStore
    let maxAge: Duration
    private var latest: (snapshot: DashboardSnapshot, readAt: ContinuousClock.Instant)?
    private var reading: Task<DashboardSnapshot, any Error>?

    init(store: any TrialStore, maxAge: Duration = .seconds(1)) {
        self.store = store
        self.maxAge = maxAge
    }

    /// A snapshot read at most `maxAge` ago.
    func current() async throws -> DashboardSnapshot {
        if let latest, ContinuousClock.now - latest.readAt < maxAge { return latest.snapshot }
        if let reading { return try await reading.value }
        let store = store
        let started = ContinuousClock.now
        let task = Task { try await DashboardSnapshot.read(from: store) }
        reading = task
        defer { reading = nil }
        let snapshot = try await task.value
        latest = (snapshot, started)
        return snapshot
    }
}
