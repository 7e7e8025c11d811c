/// Why a study cannot be opened, or a trial asked for, told or failed, as the study's rules say.
public enum StudyError: UserFacingError, Equatable, Sendable {
    /// A study was to be created, but one with this name exists.
    case exists(name: String, completeTrials: Int)
    /// The stored study was created with other settings; each difference in words.
    case settingsDiffer(name: String, differences: [String])
    /// The study has no trial with this number.
    case unknownTrial(study: String, number: Int)
    /// The trial is not running, so it cannot be heartbeaten, told or failed.
    case trialNotRunning(study: String, number: Int, state: TrialState)
    /// The trial is complete with another result.
    case conflictingResult(study: String, number: Int)
    /// The study has its complete trials; a late result for an abandoned trial is not taken.
    case studyEnded(study: String)
    /// An accuracy that is NaN, infinite or outside 0...100 percent.
    case invalidAccuracy(Double)
    /// A metric that is NaN or infinite, or whose name is empty or holds control characters.
    case invalidMetric(name: String)
    /// A result without the accuracy the study ranks by (``StudySettings/int8AccuracyMetric``
    /// for an 8-bit study), or with one outside 0...100.
    case missingRankingMetric(metric: String, bits: Int)
    /// A study without a budget cannot propose trials.
    case noBudget(study: String)
    /// A target of complete trials outside ``StudySettings/targetTrialsRange``.
    case invalidTarget(Int)
    /// A step factor outside (0, 1), NaN or infinite.
    case invalidStepFactor(Double)
    /// A budget limit that is not positive, or an unsupported bit width; the detail in words.
    case invalidBudget(String)
    /// An evaluator summary over ``StudySettings/maxEvaluatorSummaryLength`` characters.
    case evaluatorTooLong(Int)
    /// A result or failure larger than ``TrialResultLimits`` allow; the detail in words.
    case resultTooLarge(String)
    /// A training length outside ``EpochReport/epochRange``.
    case invalidEpochs(Int)
    /// An epoch budget outside ``StudySettings/epochBudgetRange``, without a training length, or below one training.
    case invalidEpochBudget(Int, epochs: Int?)
    /// Pruning asked of a study without a training length.
    case pruneWithoutEpochs
    /// Pruning asked of a study that ranks by int8 accuracy (``StudySettings/ranksByInt8Accuracy``).
    case pruneWithInt8Ranking
    /// An intermediate report that cannot be stored; the detail in words.
    case invalidEpochReport(String)
    /// An architecture of another family than the study's.
    case familyMismatch(study: String, studyFamily: String, architectureFamily: String)
    /// Settings that name a family and a space of another family.
    case familyDiffersFromSpace(family: String, spaceFamily: String)

    public var kind: FailureKind {
        switch self {
        case .unknownTrial: .notFound
        case .exists, .settingsDiffer, .trialNotRunning, .conflictingResult, .studyEnded, .noBudget, .invalidTarget,
             .invalidStepFactor, .invalidBudget, .evaluatorTooLong, .familyMismatch, .invalidEpochs,
             .invalidEpochBudget, .pruneWithoutEpochs, .pruneWithInt8Ranking, .familyDiffersFromSpace: .usage
        case .invalidAccuracy, .invalidMetric, .missingRankingMetric, .resultTooLarge, .invalidEpochReport: .data
        }
    }

    public var description: String {
        switch self {
        case .exists(let name, let complete):
            "study '\(name)' already exists, with \(complete) complete trials"
        case .settingsDiffer(let name, let differences):
            "study '\(name)' was created with different settings: \(differences.joined(separator: "; "))"
        case .unknownTrial(let study, let number):
            "study '\(study)' has no trial \(number)"
        case .trialNotRunning(let study, let number, let state):
            "trial \(number) of study '\(study)' is \(state.rawValue), not running"
        case .conflictingResult(let study, let number):
            "trial \(number) of study '\(study)' is complete with a different result"
        case .studyEnded(let study):
            "study '\(study)' has reached its target of complete trials"
        case .invalidAccuracy(let value):
            "accuracy \(value) is not a number of percent in 0...100"
        case .invalidMetric(let name):
            "metric '\(name.debugDescription.dropFirst().dropLast())' needs a printable name and a finite value"
        case .noBudget(let study):
            "study '\(study)' has no budget, so it cannot propose trials"
        case .invalidTarget(let target):
            "a target of \(target) complete trials is outside \(StudySettings.targetTrialsRange.lowerBound)...\(StudySettings.targetTrialsRange.upperBound)"
        case .invalidStepFactor(let factor):
            "step factor \(factor) is not a number strictly between 0 and 1"
        case .invalidBudget(let detail):
            "invalid budget: \(detail)"
        case .missingRankingMetric(let metric, let bits):
            "the study is deployed at \(bits) bits and ranks by \(metric), which the result lacks or has outside 0...100"
        case .evaluatorTooLong(let length):
            "an evaluator description of \(length) characters is over \(StudySettings.maxEvaluatorSummaryLength)"
        case .resultTooLarge(let detail):
            "result too large: \(detail)"
        case .invalidEpochs(let epochs):
            "a training length of \(epochs) epochs is outside \(EpochReport.epochRange.lowerBound)...\(EpochReport.epochRange.upperBound)"
        case .invalidEpochBudget(let budget, let epochs):
            if let epochs, budget >= epochs {
                "an epoch budget of \(budget) is outside \(StudySettings.epochBudgetRange.lowerBound)...\(StudySettings.epochBudgetRange.upperBound)"
            } else if let epochs {
                "an epoch budget of \(budget) is below one training of \(epochs) epochs"
            } else {
                "an epoch budget of \(budget) needs the study's training length in epochs"
            }
        case .pruneWithoutEpochs:
            "pruning judges a training's progress against the study's training length in epochs, and the study sets none"
        case .pruneWithInt8Ranking:
            "pruning judges a training's float accuracy curve, and a study deployed at 8 bits ranks by int8 accuracy, which only a finished training reports"
        case .invalidEpochReport(let detail):
            "invalid intermediate report: \(detail)"
        case .familyMismatch(let study, let studyFamily, let architectureFamily):
            "study '\(study)' searches \(studyFamily) architectures, not \(architectureFamily)"
        case .familyDiffersFromSpace(let family, let spaceFamily):
            "family \(family) differs from the space's family \(spaceFamily)"
        }
    }
}
