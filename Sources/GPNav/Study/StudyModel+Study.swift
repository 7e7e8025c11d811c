import GaussianProcess

extension StudyModel {
    /// A model of `study`, to be fitted on first use; `jointFactors` overrides the study's own
    /// setting (an analysis compares the model with and without them).
    public init(study: Study, restarts: Int = 2, jointFactors: Bool? = nil,
                sampleLimit: Int = StudyModelSample.searchLimit, refresh: ModelRefresh = .inline) {
        self.init(space: study.space, seed: study.seed,
                  jointFactors: jointFactors ?? study.settings.jointFactors,
                  restarts: restarts, sampleLimit: sampleLimit, refresh: refresh)
    }

    /// A model of `study` fitted once to its complete `trials` (at most ``StudyModelSample/limit``
    /// of them), as a reading command (analyze, plot, downsize) needs it.
    /// - Throws: ``GaussianProcessError`` when fewer than 2 are complete or the fit fails.
    public static func fit(study: Study, trials: [Trial], restarts: Int = 2,
                           jointFactors: Bool? = nil) throws -> AccuracyModel {
        var model = StudyModel(study: study, restarts: restarts, jointFactors: jointFactors,
                               sampleLimit: StudyModelSample.limit)
        return try model.model(for: trials)
    }
}
