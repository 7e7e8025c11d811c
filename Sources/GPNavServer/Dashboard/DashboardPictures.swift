import Dispatch
import GPNav

/// The dashboard's pictures (and factor relevance), drawn once per study version and shared by
/// every viewer: ten pages that see a new trial ask for the same picture, and one drawing answers
/// them all. A view is drawn at most once per its ``DashboardPicture/redrawInterval`` however
/// often the study changes (30 s for the views that fit the GP, 5 s for the others): each page
/// asks on its own schedule, so on a busy study every viewer's request would otherwise find a new
/// version and draw again (measured: ten viewers of a 1,000-trial study changing every 0.6 s cost
/// 3.2 % of a core each when the GP's views were redrawn per version). Drawing
/// runs on two serial queues of
/// their own (the views that fit the GP, and the others), never on the threads that answer
/// requests, so a cube's GP fit holds up no ask and no cheap picture; pictures wait in turn, and
/// each is drawn on a niced thread (``NicedThread``) that yields the cores to asks and results.
actor DashboardPictures {
    private struct Key: Hashable {
        var study: String
        var picture: DashboardPicture
    }

    private struct Entry {
        var version: String
        var drawing: Task<String, any Error>
        var lastUse: UInt64
        var started: ContinuousClock.Instant
    }

    /// A drawing of the study at some version, and that version (the picture's entity tag).
    struct Drawing: Sendable {
        var version: String
        var svg: Task<String, any Error>
    }

    let store: any TrialStore
    /// Pictures kept; the least recently used goes first (a cube grid's SVG is a few hundred kB).
    let maxEntries: Int
    private var entries: [Key: Entry] = [:]
    private var useCount: UInt64 = 0
    private static let queue = DispatchQueue(label: "gpnav.dashboard-pictures", qos: .utility)
    /// The views that fit the study's GP (cube, relevance) wait in a queue of their own: on a large
    /// study one takes seconds, and the cheap pictures must not wait behind it.
    private static let modelQueue = DispatchQueue(label: "gpnav.dashboard-model-pictures", qos: .utility)

    init(store: any TrialStore, maxEntries: Int = 24) {
        self.store = store
        self.maxEntries = maxEntries
    }

    /// `picture` of the study at `version` (``DashboardSnapshot/StudyState/version``): the kept
    /// drawing when it was made at that version, or when it was started less than the picture's
    /// ``DashboardPicture/redrawInterval`` ago (at its own, older version); a new one otherwise.
    func drawing(study: String, version: String, picture: DashboardPicture,
                 now: ContinuousClock.Instant = .now) -> Drawing {
        let key = Key(study: study, picture: picture)
        useCount += 1
        if let entry = entries[key],
           entry.version == version || now - entry.started < picture.redrawInterval {
            entries[key]?.lastUse = useCount
            return Drawing(version: entry.version, svg: entry.drawing)
        }
        let store = store
        let drawing = Task { try await Self.draw(picture, study: study, store: store) }
        entries[key] = Entry(version: version, drawing: drawing, lastUse: useCount, started: now)
        dropBeyondLimit()
        return Drawing(version: version, svg: drawing)
    }

    /// The SVG of `drawing`; a drawing that failed is not kept, so the next request tries again
    /// (the store may have been unreachable).
    func svg(of drawing: Drawing, study: String, picture: DashboardPicture) async throws -> String {
        do {
            return try await drawing.svg.value
        } catch {
            let key = Key(study: study, picture: picture)
            if entries[key]?.version == drawing.version { entries[key] = nil }
            throw error
        }
    }

    private func dropBeyondLimit() {
        while entries.count > maxEntries, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            entries[oldest] = nil
        }
    }

    private static func draw(_ picture: DashboardPicture, study name: String, store: any TrialStore) async throws -> String {
        guard let study = try await store.study(named: name) else {
            throw StoreError.unknownStudy(name, known: try await store.studies().map(\.name))
        }
        // As `gpnav plot` and `gpnav analyze` draw it: an 8-bit study by the int8 accuracy it ranks
        // by. The other pictures read no evaluator output, and metrics only for a front of latencies.
        let trials = study.settings.ranksByInt8Accuracy
            ? try await StudySession.rankedTrials(of: study, in: store)
            : try await store.trials(TrialQuery(study: study.name, details: picture.needsMetrics))
        let curves = picture.needsCurves ? try await store.learningCurves(study: study.name) : [:]
        return try await withCheckedThrowingContinuation { continuation in
            (picture.fitsModel ? modelQueue : queue).async {
                // A viewer's picture yields the cores to the asks and results of the studies.
                continuation.resume(with: Result {
                    try NicedThread.run(name: "gpnav dashboard picture") {
                        try picture.render(study: study, trials: trials, curves: curves)
                    }
                })
            }
        }
    }
}
