import GPNav

/// What the command line adds to a library error: the next thing to type, in gpnav's own commands
/// and flags. The library's messages say only what went wrong, in its own terms.
enum ErrorAdvice {
    /// The advice for `error`, or nil when its message says all there is.
    static func advice(for error: any Error) -> String? {
        switch error {
        case let error as StoreError: advice(for: error)
        case let error as FeatureNotBuilt: advice(building: error.feature)
        case PlotError.noCompleteTrials: "run 'gpnav search' or 'gpnav evaluate' first"
        case SearchError.tooManyFailures: "--max-failures sets how many are allowed"
        // A study's settings are checked by the library, in its words; the flag is the advice.
        case SearchError.noBudget: "give one with --macs, --params or --memory"
        case StudyError.invalidTarget: "set it with --trials"
        case StudyError.invalidStepFactor: "set it with --step-factor"
        case LatencyError.noMeter: "pass --latency-command 'python -m gpnav_torch.latency --config {config}'"
        case OnnxExportError.interpreterNotFound: "name the Python interpreter with --python"
        case OnnxExportError.moduleMissing:
            "install the Python side with its deploy extra into that interpreter (pip install -e 'python/[deploy]'), or name another with --python"
        case FactorAnalysisError.tooFewTrials(let study, _, _):
            "run 'gpnav search --study \(study) --resume' or import results"
        default: nil
        }
    }

    private static func advice(for error: StoreError) -> String? {
        switch error {
        case .noDatabase: "run 'gpnav search' to create one, or point --db (or GPNAV_DB) at an existing one"
        case .notADatabase: "choose another file with --db"
        case .olderSchema: "run a writing command (e.g. 'gpnav search') once to upgrade it"
        case .readOnly: "reading commands still work, writing ones need write permission"
        case .duplicateStudy(let name): "choose another name, or delete it with 'gpnav studies delete \(name)'"
        case .notBuilt(_, let feature): advice(building: feature)
        default: nil
        }
    }

    /// How to build a gpnav that has `feature`: every part, since a user who needs one usually
    /// needs the other on the same machine (a server on PostgreSQL).
    private static func advice(building feature: BuildFeature) -> String {
        "build the full gpnav with 'swift build -c release --traits Full' (the \(feature.rawValue) trait alone: --traits \(feature.rawValue))"
    }
}
