/// gpnav's proposer: the downsizing chain first (``DownsizingChainProposer``), then expected
/// improvement under the study's Gaussian process (``GaussianProcessProposer``), until the
/// complete and running trials reach the study's target (or its epoch budget).
struct DownsizingThenGPProposer: Proposer {
    private(set) var chain: DownsizingChainProposer
    private(set) var gaussianProcess: GaussianProcessProposer

    /// A proposer for `snapshot`'s study. Its candidate pool is counted and its chain computed
    /// now; with enough complete trials already (a resumed or imported study) the chain is
    /// guided by the model fitted to them.
    /// - Parameters:
    ///   - restarts: random restarts of each full hyperparameter fit.
    ///   - refresh: where the model re-optimises its hyperparameters.
    /// - Throws: ``SearchError``, ``SearchSpaceError`` from the chain.
    init(snapshot: StudySnapshot, restarts: Int, refresh: ModelRefresh) throws {
        var gaussianProcess = GaussianProcessProposer(snapshot: snapshot, restarts: restarts, refresh: refresh)
        let guided = snapshot.complete.count >= 2 * gaussianProcess.model.encoding.names.count
        let guide = guided ? try? gaussianProcess.fittedModel(for: snapshot) : nil
        chain = try DownsizingChainProposer(snapshot: snapshot, guide: guide)
        self.gaussianProcess = gaussianProcess
    }

    mutating func propose(for snapshot: StudySnapshot) -> ProposerOutcome {
        guard !snapshot.proposingStops else { return .targetReached }
        if case .proposal(let step) = chain.propose(for: snapshot) { return .proposal(step) }
        return gaussianProcess.propose(for: snapshot)
    }

    mutating func recommendation(for snapshot: StudySnapshot) -> Recommendation? {
        gaussianProcess.recommendation(for: snapshot)
    }

    var approximateBytes: Int { gaussianProcess.approximateBytes }
    var modelFitStatistics: ModelFitStatistics { gaussianProcess.modelFitStatistics }
    var backgroundRefit: BackgroundRefit? { gaussianProcess.backgroundRefit }
}
