/// The precision a study's network is deployed at, and what follows from it: which accuracy
/// ranks its trials and on which model a latency budget is measured.
extension StudySettings {
    /// The result-line metric an 8-bit study ranks by: the accuracy of the network after int8
    /// post-training quantisation (`python -m gpnav_torch.train --int8-eval` reports it).
    public static let int8AccuracyMetric = "accuracy_int8"

    /// The bits the weights are deployed at: the deployment bits when given, else the memory
    /// budget's (nil: float). A latency budget is measured on the int8 model at 8.
    public var deployedBits: Int? { deploymentBits ?? budget.bits }

    /// Whether trials are ranked by ``int8AccuracyMetric`` instead of `accuracy`: the model
    /// learns it, the recommendation and the best observed trial are chosen by it. Only the
    /// deployment bits choose it, so a memory budget counted at its default 8 bits keeps ranking
    /// by float accuracy.
    public var ranksByInt8Accuracy: Bool { deploymentBits == 8 }

    /// The deployment bits are a supported width (the memory budget's widths, in its words) and
    /// agree with the memory budget's when both are given, and an 8-bit study does not prune:
    /// pruning predicts a training's final float accuracy from its curve, while the study ranks by
    /// the int8 accuracy measured once after training, and the int8 drop differs by architecture
    /// (Q-HyViT), so a float curve below the best says nothing about the int8 result.
    /// - Throws: ``StudyError/invalidBudget(_:)``, ``StudyError/pruneWithInt8Ranking``.
    func validateDeploymentBits() throws(StudyError) {
        guard let deploymentBits else { return }
        try Budget(bits: deploymentBits).validate()
        if let memoryBits = budget.bits, memoryBits != deploymentBits {
            throw .invalidBudget("bits \(deploymentBits) differ from the memory budget's bits \(memoryBits)")
        }
        if prune, ranksByInt8Accuracy { throw .pruneWithInt8Ranking }
    }

    /// Checks that `result` has the accuracy the study ranks by.
    /// - Throws: ``StudyError/missingRankingMetric(metric:bits:)``.
    func checkRanked(_ result: EvaluationResult) throws(StudyError) {
        guard ranksByInt8Accuracy else { return }
        guard let value = result.metrics[Self.int8AccuracyMetric], (0...100).contains(value) else {
            throw .missingRankingMetric(metric: Self.int8AccuracyMetric, bits: 8)
        }
    }

    /// The accuracy the study ranks a complete trial by: its int8 accuracy in an 8-bit study (nil
    /// when the trial lacks one or was read without its metrics), else its accuracy.
    public func rankingAccuracy(of trial: Trial) -> Double? {
        rankingAccuracy(accuracy: trial.accuracy, int8Accuracy: trial.metrics[Self.int8AccuracyMetric])
    }

    /// Of a trial's (or a group's best) float `accuracy` and `int8Accuracy`, the one the study
    /// ranks by: the int8 one in an 8-bit study, else the float one.
    public func rankingAccuracy(accuracy: Double?, int8Accuracy: Double?) -> Double? {
        ranksByInt8Accuracy ? int8Accuracy : accuracy
    }

    /// The int8 accuracy each of `trials` reports, by trial id (trials read with their metrics).
    static func int8Accuracies(of trials: [Trial]) -> [Int64: Double] {
        Dictionary(trials.compactMap { trial in
            trial.id.flatMap { id in trial.metrics[int8AccuracyMetric].map { (id, $0) } }
        }, uniquingKeysWith: { first, _ in first })
    }

    /// `trials` as an 8-bit study ranks them: each complete trial's accuracy is its int8 accuracy
    /// (`int8Accuracy`, by trial id), and a complete trial without one has no accuracy, so that
    /// neither the model nor a recommendation takes its float accuracy for an int8 one. Other
    /// studies' trials are returned unchanged.
    func ranked(_ trials: [Trial], int8Accuracy: [Int64: Double]) -> [Trial] {
        guard ranksByInt8Accuracy else { return trials }
        return trials.map { trial in
            guard trial.state == .complete else { return trial }
            var ranked = trial
            ranked.accuracy = trial.id.flatMap { int8Accuracy[$0] }
            return ranked
        }
    }
}
