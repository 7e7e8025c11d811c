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
    }

    func run() async throws {
        let architecture = try architectureOptions.architecture()
        let cost = CostModel.cost(of: architecture)
        try database.checkStudyName(study)
        let store = try openStore(database, mode: .readWrite)
        let record: Study
        if let existing = try store.study(named: study) {
            record = existing
        } else {
            let evaluator = evaluatorOptions.makeEvaluator(seed: seed, databasePath: database.path)
            do {
                record = try store.createStudy(Study(name: try StudyName(study).text, space: .default, budget: Budget(), seed: seed,
                                                     evaluator: evaluator.summary, targetTrials: 0))
            } catch StoreError.duplicateStudy {
                guard let created = try store.study(named: study) else { throw StoreError.unknownStudy(study, known: []) }
                record = created
            }
        }
        guard let studyID = record.id else { throw StoreError.unknownStudy(study, known: []) }
        let evaluator = evaluatorOptions.makeEvaluator(seed: record.seed, databasePath: database.path)
        if evaluatorOptions.kind == .command { StopSignals.install() }
        let now = Date()
        let started = try store.startTrial(Trial(
            studyID: studyID, number: 0, state: .running, architecture: architecture, macs: cost.macs,
            params: cost.params, proposal: Proposal(kind: .manual), startedAt: now, heartbeatAt: now,
            worker: WorkerIdentity.current))
        guard let trialID = started.id else { throw StoreError.unknownStudy(study, known: []) }
        let request = EvaluationRequest(architecture: architecture, macs: cost.macs, params: cost.params,
                                        study: record.name, trialNumber: started.number)
        let outcome: TrialOutcome
        do {
            let result = try await evaluator.evaluate(request)
            outcome = TrialOutcome(state: .complete, accuracy: result.accuracy, metrics: result.metrics,
                                   evaluatorOutput: result.output)
        } catch {
            outcome = TrialOutcome(state: .failed, evaluatorOutput: error.output, error: error.reason)
        }
        StopSignals.holdIfStopping()
        try store.finishTrial(id: trialID, outcome: outcome)
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
            text += "  \(name)  \(value)\n"
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
