import Foundation
import GaussianProcess
import MobileViT

/// What the Gaussian process has learnt about the global factors of a study's family.
///
/// The model is ``AccuracyModel`` fitted to the study's complete trials (with the joint factors
/// when the study's search used them, the default). From it:
///
/// - the fitted hyperparameters, with signal and noise variance converted to accuracy points^2
///   (the GP works on targets normalised by `scale`, so a variance v becomes v * scale^2);
/// - each input's relevance 1 / l_k (ARD: a long length scale means the prediction barely moves
///   along that input over the [0, 1] range of the space);
/// - the shares of the variance of the GP's posterior mean over the study's grid explained by each
///   factor and each pair of factors (``VarianceDecomposition``, a functional ANOVA over the grid
///   of the global factors, every grid point weighted equally);
/// - leave-one-out scores of the model, and of the model with and without the joint factors
///   (``CrossValidation``);
/// - ``DesignPrinciples``: accuracy per extra GMAC along each factor around the recommended trial.
public struct FactorAnalysis: Sendable {
    /// Fitted hyperparameters, in accuracy units.
    public struct Hyperparameters: Sendable, Equatable {
        /// s * scale^2: the prior variance of the latent accuracy, in points^2.
        public var signalVariance: Double
        /// n * scale^2: the variance of training noise, in points^2.
        public var noiseVariance: Double
        /// The standard deviation used to normalise the accuracies, in points.
        public var targetScale: Double
        /// log p(y | X, theta) of the normalised targets at the optimum.
        public var logMarginalLikelihood: Double
    }

    /// One GP input's length scale and relevance.
    public struct InputRelevance: Sendable, Equatable {
        /// The input's name (``FactorEncoding/names``).
        public var name: String
        /// The ARD length scale l, in units of the input's [0, 1] range over the space.
        public var lengthScale: Double
        /// 1 / l.
        public var relevance: Double { 1 / lengthScale }
        /// 1 for the most relevant input (shortest length scale).
        public var rank: Int
        /// Whether the fit stopped at the largest length scale it allows
        /// (``AccuracyModel/bounds``), within the optimiser's 0.1 % tolerance.
        public var isAtUpperBound: Bool { lengthScale >= AccuracyModel.bounds.lengthScale.upperBound * 0.999 }
    }

    /// A factor's (or pair's) share of the variance of the predicted accuracy over the grid.
    public struct Share: Sendable, Equatable {
        /// The factor names: one for a main effect, two for a pair.
        public var factors: [String]
        /// Fraction of the variance, in [0, 1].
        public var share: Double
    }

    /// Leave-one-out scores with and without the joint factors.
    public struct JointFactorComparison: Sendable, Equatable {
        public var withJointFactors: CrossValidation
        public var withoutJointFactors: CrossValidation
        /// Whether the joint factors raise the leave-one-out log predictive density (which weighs
        /// errors by the model's own uncertainty, so it also rewards honest error bars).
        public var jointFactorsImprove: Bool {
            withJointFactors.logPredictiveDensity > withoutJointFactors.logPredictiveDensity
        }
    }

    /// The study analysed.
    public var study: String
    /// The study's global factors (its family's), in factor order.
    public var factors: [ArchitectureFactor]
    /// Complete trials the model was fitted to (at most ``StudyModelSample/limit``).
    public var observationCount: Int
    /// Complete trials the study has; more than ``observationCount`` when the fit used a sample.
    public var completeTrialCount: Int
    /// Whether the reported model includes the joint factors.
    public var includesJointFactors: Bool
    public var hyperparameters: Hyperparameters
    /// Every GP input in encoding order, with its rank.
    public var inputs: [InputRelevance]
    /// Main-effect shares of the global factors, in factor order.
    public var mainShares: [Share]
    /// Pair shares of every pair of global factors.
    public var pairShares: [Share]
    /// 1 - main - pair shares: interactions of three or more factors.
    public var remainderShare: Double
    /// Mean and variance (points^2) of the predicted accuracy over the grid.
    public var gridMean: Double
    public var gridVariance: Double
    /// Leave-one-out scores of the reported model.
    public var crossValidation: CrossValidation
    public var jointFactors: JointFactorComparison
    /// Nil when no complete trial meets the budget.
    public var principles: DesignPrinciples?

    /// Complete trials needed: the leave-one-out scores need at least one observation left
    /// after leaving one out, and fewer than three says nothing about four factors anyway.
    public static let minimumTrials = 3

    /// Analyses `study` from its `trials` (any states; only complete ones with an accuracy count).
    /// - Parameters:
    ///   - restarts: random restarts of each hyperparameter fit, drawn from the study's seed.
    /// - Throws: ``FactorAnalysisError``, ``GaussianProcessError`` when a fit fails.
    public static func analyze(study: Study, trials: [Trial], restarts: Int = 2) throws -> FactorAnalysis {
        let complete = trials.filter { $0.state == .complete && ($0.accuracy?.isFinite ?? false) }
        guard complete.count >= minimumTrials else {
            throw FactorAnalysisError.tooFewTrials(study: study.name, complete: complete.count, needed: minimumTrials)
        }
        do {
            try study.space.validate()
        } catch {
            throw FactorAnalysisError.invalidSpace(error.description)
        }
        let sampled = StudyModelSample.select(StudyModel.observed(complete)).count
        let fit = { (joint: Bool) throws -> AccuracyModel in
            try StudyModel.fit(study: study, trials: complete, restarts: restarts, jointFactors: joint)
        }
        let withJoint = try fit(true)
        let withoutJoint = try fit(false)
        let comparison = JointFactorComparison(withJointFactors: try CrossValidation(withJoint.process),
                                               withoutJointFactors: try CrossValidation(withoutJoint.process))
        let usesJoint = study.settings.jointFactors
        let model = usesJoint ? withJoint : withoutJoint

        let kernel = model.process.kernel
        let scale = model.process.targetScale
        let hyperparameters = Hyperparameters(
            signalVariance: kernel.signalVariance * scale * scale,
            noiseVariance: (kernel.noiseVariance ?? 0) * scale * scale,
            targetScale: scale,
            logMarginalLikelihood: model.process.logMarginalLikelihood)
        let order = kernel.lengthScales.indices.sorted { kernel.lengthScales[$0] < kernel.lengthScales[$1] }
        var inputs = zip(model.encoding.names, kernel.lengthScales).map { InputRelevance(name: $0, lengthScale: $1, rank: 0) }
        for (rank, index) in order.enumerated() { inputs[index].rank = rank + 1 }

        let decomposition = try gridDecomposition(model, space: study.space)
        let names = FactorEncoding.globalFactorNames(of: study.space)
        let principles = try DesignPrinciples(model: model, study: study, complete: complete)
        let analysis = FactorAnalysis(
            study: study.name, factors: study.space.factors, observationCount: sampled, completeTrialCount: complete.count,
            includesJointFactors: usesJoint,
            hyperparameters: hyperparameters, inputs: inputs,
            mainShares: zip(names, decomposition.mainShares).map { Share(factors: [$0], share: $1) },
            pairShares: decomposition.pairShares.map { Share(factors: [names[$0.first], names[$0.second]], share: $0.share) },
            remainderShare: decomposition.remainderShare, gridMean: decomposition.mean,
            gridVariance: decomposition.variance, crossValidation: usesJoint ? comparison.withJointFactors : comparison.withoutJointFactors,
            jointFactors: comparison, principles: principles)
        let numbers = [hyperparameters.signalVariance, hyperparameters.noiseVariance, hyperparameters.logMarginalLikelihood]
            + inputs.map(\.lengthScale)
        guard numbers.allSatisfy(\.isFinite) else { throw FactorAnalysisError.nonFinite("the fitted hyperparameters") }
        return analysis
    }

    /// The decomposition of the posterior mean over every point of `space`'s grid, laid out
    /// first factor slowest (``SearchSpace/allPoints``), so its axes are the global factors.
    static func gridDecomposition(_ model: AccuracyModel, space: SearchSpace) throws(FactorAnalysisError) -> VarianceDecomposition {
        var architectures: [Architecture] = []
        architectures.reserveCapacity(space.count)
        for point in space.allPoints {
            guard let architecture = try? space.architecture(at: point) else {
                throw .invalidSpace("grid point \(point) is not a valid architecture")
            }
            architectures.append(architecture)
        }
        // Batches keep the n x m cross-covariance small.
        var means: [Double] = []
        means.reserveCapacity(architectures.count)
        var start = 0
        while start < architectures.count {
            let end = min(start + 4096, architectures.count)
            let batch = model.predict(Array(architectures[start..<end])).mean
            guard batch.count == end - start else { throw .nonFinite("the predictions over the grid") }
            means += batch
            start = end
        }
        let shape = space.grids.map(\.count)
        do {
            return try VarianceDecomposition(values: means, shape: shape)
        } catch {
            throw .nonFinite("the predictions over the grid")
        }
    }
}
