/// Copies studies with all their trials and their learning curves from one store to another (any
/// two backends).
///
/// All or nothing: names that exist at the destination are refused before anything is written;
/// each study's trials go in one transaction, keeping their numbers and states; the counts by
/// state are compared with the source's afterwards; and when any step fails, the studies this
/// copy created at the destination are deleted again.
public enum StoreCopy {
    /// One study copied: its name and how many trials it has.
    public struct Copied: Sendable, Hashable {
        public var study: String
        public var trials: Int
    }

    /// The studies of `source` named `names` (all studies when nil), in creation order: what
    /// ``copy(_:from:to:)`` copies. Reads `source` only, so that an unknown name stops a copy
    /// before the destination is opened.
    /// - Throws: ``StoreError/unknownStudy(_:known:)``.
    public static func studies(named names: [String]?, in source: any TrialStore) async throws -> [Study] {
        let all = try await source.studies()
        var chosen: [Study] = []
        for name in names ?? all.map(\.name) {
            guard let study = try await source.study(named: name) else {
                throw StoreError.unknownStudy(name, known: all.map(\.name))
            }
            if !chosen.contains(where: { $0.id == study.id }) { chosen.append(study) }
        }
        return chosen
    }

    /// Copies `chosen` (studies of `source`, from ``studies(named:in:)``) with all their trials.
    /// - Throws: ``StoreError/duplicateStudy(_:)``, or ``StoreError/copyMismatch(study:detail:)``
    ///   when the destination's counts differ afterwards.
    public static func copy(_ chosen: [Study], from source: any TrialStore, to destination: any TrialStore) async throws -> [Copied] {
        for study in chosen where try await destination.study(named: study.name) != nil {
            throw StoreError.duplicateStudy(study.name)
        }
        var created: [String] = []
        do {
            var copied: [Copied] = []
            for study in chosen {
                let trials = try await source.trials(TrialQuery(study: study.name, sort: .number))
                var fresh = study
                fresh.id = nil
                let stored = try await destination.createStudy(fresh)
                created.append(stored.name)
                guard let studyID = stored.id else { throw StoreError.unknownStudy(stored.name, known: []) }
                let moved = trials.map { trial -> Trial in
                    var copy = trial
                    copy.id = nil
                    copy.studyID = studyID
                    return copy
                }
                let written = try await destination.addFinishedTrials(moved)
                if written.map(\.number) != trials.map(\.number) {
                    throw StoreError.copyMismatch(study: study.name, detail: "the trial numbers differ from the source's")
                }
                try await copyCurves(of: study.name, trials: trials, as: written, from: source, to: destination)
                try await checkCounts(of: study.name, source: source, destination: destination)
                copied.append(Copied(study: study.name, trials: trials.count))
            }
            return copied
        } catch {
            for name in created { try? await destination.deleteStudy(named: name) }
            throw error
        }
    }

    /// Stores the learning curves of the source's `trials` with the same trials as `written` at
    /// the destination (the same order, new ids).
    private static func copyCurves(of name: String, trials: [Trial], as written: [Trial], from source: any TrialStore,
                                   to destination: any TrialStore) async throws {
        let curves = try await source.learningCurves(study: name)
        guard !curves.isEmpty else { return }
        var moved: [Int64: [EpochReport]] = [:]
        for (old, new) in zip(trials, written) {
            if let oldID = old.id, let newID = new.id, let curve = curves[oldID] { moved[newID] = curve }
        }
        try await destination.addLearningCurves(moved)
    }

    /// Compares the study's trial counts by state at both ends.
    private static func checkCounts(of name: String, source: any TrialStore, destination: any TrialStore) async throws {
        func counts(_ store: any TrialStore) async throws -> [TrialState: Int] {
            try await store.studySummaries().first { $0.study.name == name }?.counts ?? [:]
        }
        let expected = try await counts(source)
        let found = try await counts(destination)
        guard expected == found else {
            throw StoreError.copyMismatch(study: name, detail: "the source has \(expected) trials by state, the copy \(found)")
        }
    }
}
