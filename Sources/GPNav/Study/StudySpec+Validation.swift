import MobileViT

/// The rules a study's settings obey, in one place: `gpnav search` checks its flags against these
/// ranges, and ``StudySession/open(store:request:mode:leaseSeconds:restarts:refresh:)`` checks every
/// request with ``StudyRequest/validate()``, so the command line and the HTTP API refuse the same
/// values.
extension StudySpec {
    /// Complete trials a study may aim at.
    public static let targetTrialsRange = 1...100_000
    /// The target of complete trials when none is given: the default, or with an epoch budget the
    /// largest allowed, so that the epoch budget alone ends the study.
    public static func defaultTargetTrials(epochBudget: Int?) -> Int {
        epochBudget == nil ? defaultTargetTrials : targetTrialsRange.upperBound
    }

    /// Epochs a study may be given to spend in all.
    public static let epochBudgetRange = 1...1_000_000_000
    /// The longest evaluator summary stored with a study, in characters (Unicode scalars): it is
    /// shown with every read of the study.
    public static let maxEvaluatorSummaryLength = 4096
    /// The step factor s lies strictly between these ends: s = 1 never shrinks, s = 0 skips the chain.
    public static let stepFactorBounds = (lower: 0.0, upper: 1.0)

    /// Whether `value` is a step factor strictly inside ``stepFactorBounds``.
    public static func isValidStepFactor(_ value: Double) -> Bool {
        value.isFinite && value > stepFactorBounds.lower && value < stepFactorBounds.upper
    }

    /// Checks every setting of the spec (the space is checked with the budget when the study is made).
    public func validate() throws(StudyError) {
        try StudyRequest(self).validate()
        try checkEpochs()
    }

    /// Checks that an epoch budget comes with a training length: spending is counted in epochs of
    /// a known length.
    func checkEpochs() throws(StudyError) {
        if let epochBudget, epochs == nil { throw .invalidEpochBudget(epochBudget, epochs: nil) }
    }
}

extension StudyRequest {
    /// Checks the settings given (those left nil are the stored study's or the defaults, valid).
    /// - Throws: ``StudyError/invalidTarget(_:)``, ``StudyError/invalidStepFactor(_:)``,
    ///   ``StudyError/invalidBudget(_:)``, ``StudyError/evaluatorTooLong(_:)``.
    public func validate() throws(StudyError) {
        if let targetTrials, !StudySpec.targetTrialsRange.contains(targetTrials) { throw .invalidTarget(targetTrials) }
        if let stepFactor, !StudySpec.isValidStepFactor(stepFactor) { throw .invalidStepFactor(stepFactor) }
        try budget?.validate()
        if let epochs, !EpochReport.epochRange.contains(epochs) { throw .invalidEpochs(epochs) }
        if let epochBudget {
            guard StudySpec.epochBudgetRange.contains(epochBudget) else { throw .invalidEpochBudget(epochBudget, epochs: epochs) }
            // A budget below one training buys none. (Without a length given, a resumed study's own
            // is checked when the budget replaces the stored one, a new study's in `checkEpochs`.)
            if let epochs, epochBudget < epochs { throw .invalidEpochBudget(epochBudget, epochs: epochs) }
        }
        let length = evaluatorSummary.unicodeScalars.count
        if length > StudySpec.maxEvaluatorSummaryLength { throw .evaluatorTooLong(length) }
    }
}

extension Budget {
    /// The weight widths a memory budget may be counted at.
    public static let supportedBits = [32, 16, 8, 6, 4]

    /// Checks that every limit set is positive and that the bit width is a supported one.
    /// - Throws: ``StudyError/invalidBudget(_:)`` naming the value at fault.
    public func validate() throws(StudyError) {
        for (name, value) in [("macs", macs), ("params", params), ("memory_bytes", memoryBytes)] {
            if let value, value < 1 { throw .invalidBudget("\(name) \(value) is not a positive count") }
        }
        if let bits, !Self.supportedBits.contains(bits) {
            throw .invalidBudget("bits \(bits) is not supported: use \(Self.supportedBits.map(String.init).joined(separator: ", "))")
        }
    }
}
