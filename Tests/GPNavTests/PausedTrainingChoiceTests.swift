import Foundation
import GaussianProcess
import MobileViT
import Testing
@testable import GPNav

/// Freeze-thaw's choice between continuing a paused training and starting a new one: ranked by
/// expected gain per epoch, a paused trial scored by the final its own curve predicts.
struct PausedTrainingChoiceTests {
    static let fullEpochs = 27

    /// Eight complete trials, the model fitted to them, and a ninth architecture paused after
    /// `epochs` epochs, its curve predicting a final of `mean` +/- `std` (%).
    struct Setting {
        let complete: [Trial]
        let model: AccuracyModel
        let acquisition = AcquisitionProposer(pool: StudyModelPosteriorCacheTests.pool)
        let paused: Trial
        let finals: [Int64: PredictedFinal]
        /// f*: the incumbent's posterior mean, the best that EI is measured against.
        let best: Double

        init(mean: (Double) -> Double, std: Double) throws {
            let trials = StudyModelPosteriorCacheTests.trials(9, seed: 4)
            complete = Array(trials.prefix(8))
            model = try StudyModelPosteriorCacheTests.fit(complete[...], kernel: StudyModelPosteriorCacheTests.kernel(lengthScale: 1))
            best = try #require(acquisition.incumbent(model: model, among: complete)).mean
            var trial = try #require(trials.last)
            trial.state = .pruned
            trial.accuracy = nil
            paused = trial
            finals = [try #require(trial.id): PredictedFinal(mean: mean(best), std: std)]
        }

        /// A new candidate whose log EI is `logEI`.
        func newCandidate(logEI: Double) throws -> AcquisitionProposer.Choice {
            let candidate = try #require(StudyModelPosteriorCacheTests.pool.admitted.first {
                !complete.map(\.architecture).contains($0.architecture) && $0.architecture != paused.architecture
            })
            return AcquisitionProposer.Choice(candidate: candidate, logExpectedImprovement: logEI,
                                              predictedAccuracy: best, predictedStd: 1)
        }

        func continuation(afterEpochs epochs: Int, against choice: AcquisitionProposer.Choice) -> ProposedArchitecture? {
            PausedTrainingChoice(acquisition: acquisition, epochs: PausedTrainingChoiceTests.fullEpochs)
                .continuation(of: [(paused, epochs)], finals: finals, model: model, evaluated: complete, against: choice)
        }
    }

    @Test func aPausedTrialIsContinuedWhenItsGainPerEpochIsHigherThanTheNewCandidatesAndNotOtherwise() throws {
        let setting = try Setting(mean: { $0 + 1 }, std: 0.5)
        let pausedLogEI = Acquisition.logExpectedImprovement(mean: setting.best + 1, standardDeviation: 0.5, best: setting.best)
        // Paused after 9 of 27 epochs, it costs 18 more; a new candidate costs 27. Level per epoch:
        let level = pausedLogEI - log(18) + log(27)
        let continued = try #require(setting.continuation(afterEpochs: 9, against: try setting.newCandidate(logEI: level - 0.01)))
        #expect(continued.resumes == setting.paused.number)
        #expect(continued.architecture == setting.paused.architecture)
        // Scored by its curve's prediction, not by the model's posterior at its architecture.
        #expect(continued.proposal.predictedAccuracy == setting.best + 1)
        #expect(abs((continued.proposal.acquisition ?? .nan) - pausedLogEI) < 1e-12)
        #expect(setting.continuation(afterEpochs: 9, against: try setting.newCandidate(logEI: level + 0.01)) == nil)
    }

    @Test func theEpochsAlreadyTrainedMakeAPausedTrialCheaperPerEpoch() throws {
        let setting = try Setting(mean: { $0 + 1 }, std: 0.5)
        let pausedLogEI = Acquisition.logExpectedImprovement(mean: setting.best + 1, standardDeviation: 0.5, best: setting.best)
        // Worth as much as a new candidate in all: after 3 epochs (24 left) it wins, by 27 / 24.
        let choice = try setting.newCandidate(logEI: pausedLogEI)
        #expect(setting.continuation(afterEpochs: 3, against: choice)?.resumes == setting.paused.number)
        // Worth less than the new candidate per epoch even after 9 epochs: a new training.
        #expect(setting.continuation(afterEpochs: 9, against: try setting.newCandidate(logEI: pausedLogEI + log(27.0 / 18) + 0.01)) == nil)
    }

    @Test func aPausedTrialWhoseCurveFellBehindLosesToANewCandidate() throws {
        // Its curve predicts a final 5 points below the incumbent, +/- 0.3: EI about e^-150.
        let setting = try Setting(mean: { $0 - 5 }, std: 0.3)
        #expect(setting.continuation(afterEpochs: 9, against: try setting.newCandidate(logEI: -20)) == nil)
        // With nothing new left to propose, it is continued all the same.
        let model = setting.model
        let alone = PausedTrainingChoice(acquisition: setting.acquisition, epochs: Self.fullEpochs)
            .continuation(of: [(setting.paused, 9)], finals: setting.finals, model: model, evaluated: setting.complete, against: nil)
        #expect(alone?.resumes == setting.paused.number)
    }
}
