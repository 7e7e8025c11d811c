import MobileViT

/// The rules a study's settings obey, in one place: `gpnav search` and `gpnav studies create` map
/// their flags onto ``StudySettings`` and `POST /v1/studies` decodes its body into one, and every
/// one is checked here, so the command line and the HTTP API refuse the same values in the same
/// words.
extension StudySettings {
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

    /// Checks every setting on its own: the target, the step factor, the budget's values, the
    /// evaluator's length, the space, that the start model is of the space's family, the training
    /// length, and the epoch budget (not below one training). (A study's budget is checked against
    /// its space, and an epoch budget's need of a training length, by ``validateForNewStudy()``: a
    /// resume may give an epoch budget alone, for the stored training length.)
    /// - Throws: ``StudyError`` (invalid target, step factor, budget, epochs, epoch budget, evaluator too long,
    ///   pruning in an 8-bit study),
    ///   ``SearchSpaceError``, ``SearchError/startOutsideFamily(start:startFamily:spaceFamily:)``.
    public func validate() throws {
        if !Self.targetTrialsRange.contains(targetTrials) { throw StudyError.invalidTarget(targetTrials) }
        if !Self.isValidStepFactor(stepFactor) { throw StudyError.invalidStepFactor(stepFactor) }
        try budget.validate()
        let length = evaluator.unicodeScalars.count
        if length > Self.maxEvaluatorSummaryLength { throw StudyError.evaluatorTooLong(length) }
        try space.validate()
        if let start, start.familyName != family {
            throw SearchError.startOutsideFamily(start: start.description, startFamily: start.familyName, spaceFamily: family)
        }
        if let epochs, !EpochReport.epochRange.contains(epochs) { throw StudyError.invalidEpochs(epochs) }
        if let epochBudget {
            guard Self.epochBudgetRange.contains(epochBudget) else {
                throw StudyError.invalidEpochBudget(epochBudget, epochs: epochs)
            }
            // A budget below one training buys none.
            if let epochs, epochBudget < epochs { throw StudyError.invalidEpochBudget(epochBudget, epochs: epochs) }
        }
        try latency?.validate()
        try validateDeploymentBits()
    }

    /// Checks the settings of a study that will propose trials: every rule of ``validate()``, a
    /// budget with a limit, a space whose smallest architecture meets the budget, and an epoch
    /// budget only with a training length (spending is counted in epochs of a known length).
    /// - Throws: as ``validate()``, and ``SearchError/noBudget``,
    ///   ``SearchError/budgetBelowSpace(smallestMACs:smallestParams:)``, ``StudyError/invalidEpochBudget(_:epochs:)``,
    ///   ``StudyError/pruneWithoutEpochs``.
    public func validateForNewStudy() throws {
        try validate()
        if let epochBudget, epochs == nil { throw StudyError.invalidEpochBudget(epochBudget, epochs: nil) }
        // Progress is counted against the full length: without one no curve can be judged.
        if prune, epochs == nil { throw StudyError.pruneWithoutEpochs }
        try ArchitectureSearch.checkFeasible(budget, in: space)
    }

    /// The space a study searches when given a family name, a space, or both: the family's default
    /// space, the space itself, or the space when the two agree.
    /// - Throws: ``ArchitectureError`` for an unknown family, ``StudyError/familyDiffersFromSpace(family:spaceFamily:)``.
    public static func space(family: String?, space: SearchSpace?) throws -> SearchSpace {
        let named = try family.map { name throws(ArchitectureError) in try ArchitectureFamilies.named(name) }
        let result = space ?? SearchSpace(family: named ?? ArchitectureFamilies.standard)
        if let named, named.name != result.familyName {
            throw StudyError.familyDiffersFromSpace(family: named.name, spaceFamily: result.familyName)
        }
        return result
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

    /// Whether any limit is set.
    public var hasLimit: Bool { macs != nil || params != nil || memoryBytes != nil }

    /// The limits in words, e.g. `300000000 MACs and 2000000 params`, or `none`.
    public var limitsText: String {
        guard hasLimit else { return "none" }
        var parts: [String] = []
        if let macs { parts.append("\(macs) MACs") }
        if let params { parts.append("\(params) params") }
        if let memoryBytes { parts.append("\(memoryBytes) weight bytes at \(bits ?? 32) bits") }
        return parts.joined(separator: " and ")
    }
}
