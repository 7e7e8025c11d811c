import Foundation
import MobileViT

extension ArchitectureSearch {
    /// Retrains the recommended architecture of `report` with other seeds until it has
    /// ``SearchConfiguration/repeatBest`` trainings beyond its first, one after another, and
    /// summarises its trainings; nil when no retraining was asked or nothing is recommended.
    ///
    /// Each retraining is a trial of the study (proposed by hand, ``Proposal/Kind/manual``), so
    /// that the study's model learns the seed-to-seed spread from it (``TrainingNoise``). The seed
    /// of an architecture's k-th trial (k = 0, 1, ...) is k, carried by ``EvaluationRequest/seed``
    /// and kept as the trial's `seed` metric: trainings already in the study count, so a resumed
    /// run only adds what is missing and never reuses a seed. A failed retraining is recorded as
    /// failed and not tried again in this run.
    func retrainBest(_ report: SearchReport, session: StudySession, evaluator: any Evaluator,
                     inFlight: InFlightTrials,
                     progress: @escaping @Sendable (SearchEvent) -> Void) async throws -> RetrainingSummary? {
        guard configuration.repeatBest > 0, let best = report.best else { return nil }
        let architecture = best.architecture
        let earlier = report.trials.filter { $0.architecture == architecture }
        let complete = earlier.filter { $0.state == .complete }.count
        let missing = max(0, configuration.repeatBest + 1 - complete)
        var seed = earlier.count
        var failed = 0
        for _ in 0..<missing {
            try Task.checkCancellation()
            let trial = try await session.startManualTrial(architecture, worker: WorkerIdentity.current).trial
            await inFlight.insert(trial.number)
            progress(.retrainingStarted(trial, seed: seed))
            let request = EvaluationRequest(architecture: architecture, macs: trial.macs, params: trial.params,
                                            study: session.study.name, trialNumber: trial.number, seed: seed,
                                            epochs: session.epochs)
            let outcome: Result<EvaluationResult, EvaluationFailure>
            do throws(EvaluationFailure) {
                outcome = .success(try await evaluator.evaluate(request))
            } catch {
                outcome = .failure(error)
            }
            var finished = trial
            switch outcome {
            case .success(var result):
                result.metrics["seed"] = Double(seed)
                do {
                    finished = try await session.tell(trial: trial.number, result: result)
                } catch let error as StudyError {
                    failed += 1
                    finished = try await session.fail(trial: trial.number, reason: error.description, output: result.output)
                }
            case .failure(let failure):
                failed += 1
                finished = try await session.fail(trial: trial.number, reason: failure.reason, output: failure.output)
            }
            await inFlight.remove(trial.number)
            progress(.retrainingFinished(finished, seed: seed))
            seed += 1
        }
        let trials = try await session.report().trials
        return RetrainingSummary(architecture: architecture, trials: trials, started: missing, failed: failed)
    }
}
