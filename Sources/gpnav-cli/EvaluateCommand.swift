import ArgumentParser
import Foundation
import GPNav
import MobileViT

/// `gpnav evaluate`: score one architecture and keep it as a trial.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate one architecture and record it as a trial.",
        discussion: """
            The architecture is given as with `gpnav macs`: a preset, factor flags, or both (flags \
            override the preset). The default evaluator is the training SIMULATOR.

            Examples:
              gpnav evaluate --model mobilevitv2-0.75
              gpnav evaluate --resolution 224 --width 0.625 --vit-depths 1,2,2 \\
                  --study manual
              gpnav evaluate --model mobilevitv2-0.5 \\
                  --evaluator-command 'python train.py --config {config}'
            """
    )

    @OptionGroup var architectureOptions: ArchitectureOptions

    @Option(help: "Study to record the trial in (created if missing).")
    var study: String = "evaluations"

    @Option(help: "Seed of the simulator's noise (for a new study; an existing study keeps its own).")
    var seed: UInt64 = 0

    @OptionGroup var evaluatorOptions: EvaluatorOptions

    @Option(help: "Output: table or json.")
    var format: ReportFormat = .table

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        try evaluatorOptions.check()
        if evaluatorOptions.evaluatorResumes {
            throw ValidationError("--evaluator-resumes is for gpnav search --prune: gpnav evaluate trains once, without pausing")
        }
    }

    func run() async throws {
        let architecture = try architectureOptions.architecture()
        try await database.checkStudyName(study)
        let store = try await openStore(database, mode: .readWrite)
        let session = try await StudySession.openForRecording(
            store: store, name: study, seed: seed, family: architecture.family,
            evaluatorSummary: evaluatorOptions.makeEvaluator(seed: seed, databasePath: database.configBasePath).summary,
            leaseSeconds: 120)
        // An existing study keeps its own seed (the simulator's noise follows it).
        let evaluator = evaluatorOptions.makeEvaluator(seed: session.study.seed, databasePath: database.configBasePath)
        let started = try await session.startManualTrial(architecture, worker: WorkerIdentity.current).trial
        let request = EvaluationRequest(architecture: architecture, macs: started.macs, params: started.params,
                                        study: study, trialNumber: started.number)
        let outcome: TrialOutcome
        do {
            let result = try await evaluator.evaluate(request)
            StopSignals.holdIfStopping()
            let told = try await session.tell(trial: started.number, result: result)
            outcome = TrialOutcome(state: told.state, accuracy: told.accuracy, metrics: told.metrics,
                                   evaluatorOutput: told.evaluatorOutput)
        } catch let failure as EvaluationFailure {
            StopSignals.holdIfStopping()
            let failed = try await session.fail(trial: started.number, reason: failure.reason, output: failure.output)
            outcome = TrialOutcome(state: .failed, evaluatorOutput: failed.evaluatorOutput, error: failed.error)
        }
        let text = try render(started, outcome: outcome, evaluator: evaluator)
        try StandardStreams.writeOutput(format == .json ? text : TerminalText.escapedLines(text))
        if outcome.state == .failed {
            throw EvaluationFailed(reason: outcome.error ?? "evaluation failed", trial: started.number, study: study)
        }
    }

    private func render(_ trial: Trial, outcome: TrialOutcome, evaluator: any Evaluator) throws -> String {
        let a = trial.architecture
        if format == .json {
            let object = ArchitectureJSON(architecture: a, fields: EvaluationJSON(
                study: study, trial: trial.number, state: outcome.state.rawValue, macs: trial.macs, params: trial.params,
                accuracy: outcome.accuracy, metrics: outcome.metrics, error: outcome.error,
                evaluator: evaluator.summary, simulated: evaluator.isSimulated))
            return try JSONOutput.encode(object) + "\n"
        }
        var text = evaluator.isSimulated ? "NOTE: accuracy from the training SIMULATOR, not from real training.\n" : ""
        text += "study '\(study)', trial \(trial.number): \(a)\n"
        text += "  MACs      \(trial.macs) (\(Quantity.formatCount(trial.macs)))\n"
        text += "  params    \(trial.params) (\(Quantity.formatCount(trial.params)))\n"
        if let accuracy = outcome.accuracy {
            text += String(format: "  accuracy  %.2f%% top-1\n", accuracy)
        } else {
            text += "  FAILED    \(outcome.error ?? "")\n"
        }
        for (name, value) in outcome.metrics.sorted(by: { $0.key < $1.key }) {
            // Six significant digits: the JSON output keeps every digit for programs.
            text += "  \(name)  \(String(format: "%.6g", value))\n"
        }
        return text
    }
}

/// The one evaluation of `gpnav evaluate` failed (it is stored as a failed trial).
struct EvaluationFailed: UserFacingError {
    var reason: String
    var trial: Int
    var study: String
    var kind: FailureKind { .evaluation }
    var description: String { "trial \(trial) of study '\(study)' failed: \(reason)" }
}

private struct EvaluationJSON: Encodable {
    var study: String
    var trial: Int
    var state: String
    var macs: Int
    var params: Int
    var accuracy: Double?
    var metrics: [String: Double]
    var error: String?
    var evaluator: String
    var simulated: Bool
}
