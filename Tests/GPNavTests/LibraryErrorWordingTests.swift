import Testing
@testable import GPNav

/// Library errors say what went wrong in the library's terms: no command-line flag and no
/// command to type (the command line adds that advice when it prints the error).
@Suite("Library error wording")
struct LibraryErrorWordingTests {
    static let errors: [any UserFacingError] = [
        StoreError.noDatabase(path: "a"), StoreError.notADatabase(path: "a"), StoreError.olderSchema(path: "a"),
        StoreError.newerSchema(path: "a", unknown: ["0009_x.sql"]),
        StoreError.readOnly(path: "a", reason: StoreError.openedForReading), StoreError.duplicateStudy("s"),
        StoreError.unknownStudy("s", known: []), StoreError.unknownStudy("s", known: ["t"]),
        PlotError.noCompleteTrials(study: "s"), PlotError.tooFewTrials(study: "s", count: 1),
        PlotError.sameAxes("width"), SearchError.tooManyFailures(count: 3, lastReason: "exit 2"),
        SearchError.noBudget, FactorAnalysisError.tooFewTrials(study: "s", complete: 1, needed: 3),
        StudyError.exists(name: "s", completeTrials: 2), StudyError.settingsDiffer(name: "s", differences: ["seed"]),
        StudyError.noBudget(study: "s"), StudyError.studyEnded(study: "s"),
    ]

    @Test func libraryErrorsNameNoFlagAndNoCommandToType() {
        for error in Self.errors {
            #expect(!error.description.contains("--"), "\(error)")
            #expect(!error.description.contains("'gpnav "), "\(error)")
            #expect(!error.description.contains("GPNAV_"), "\(error)")
        }
    }

    @Test func readOnlyMessageSaysWhatTheBackendFoundReadOnly() {
        #expect(StoreError.readOnly(path: "postgresql://u:***@h:5432/d", reason: StoreError.openedForReading).description
                == "database 'postgresql://u:***@h:5432/d' is read-only (opened for reading only)")
        #expect(StoreError.readOnly(path: "a.sqlite", reason: SQLiteTrialStore.notWritable).description
                == "database 'a.sqlite' is read-only (file or directory not writable)")
    }
}
