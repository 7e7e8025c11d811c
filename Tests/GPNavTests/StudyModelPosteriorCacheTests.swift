import Foundation
import GaussianProcess
import MobileViT
import Testing
@testable import GPNav

/// The server's fast ask path (a model answering from its ``PosteriorCache``) proposes what a
/// full refit with the same hyperparameters proposes, with trials running, as the data grows and
/// after new hyperparameters are swapped in.
@Suite("Study model posterior cache")
struct StudyModelPosteriorCacheTests {
    static let budget = Budget(macs: 300_000_000)
    static let pool = CandidatePool(space: .default, budget: budget)
    static let encoding = FactorEncoding(space: .default)
    /// The candidates' inputs as a study's planner keeps them, shared by every pick below.
    static let inputs = CandidateInputs(pool: pool, encoding: encoding)

    /// `count` distinct admitted architectures as trials, complete with a smooth noisy accuracy
    /// that depends on the seed.
    static func trials(_ count: Int, seed: UInt64) -> [Trial] {
        var generator = SplitMix64(seed: seed)
        let tilt = Double(seed % 5) / 4
        return pool.admitted.shuffled(using: &generator).prefix(count).enumerated().map { number, candidate in
            let a = candidate.architecture
            let accuracy = 60 + 8 * a.width + (3 - 2 * tilt) * Double(a.resolution) / 100
                + tilt * Double(a.mv2Depths.reduce(0, +)) / 3 + Double(generator.next() % 100) / 500
            return Trial(id: Int64(number + 1), studyID: 1, number: number, state: .complete, architecture: a,
                         macs: candidate.cost.macs, params: candidate.cost.params, accuracy: accuracy,
                         proposal: Proposal(kind: .gp), startedAt: Date(timeIntervalSince1970: 0))
        }
    }

    static func fit(_ complete: ArraySlice<Trial>, kernel: Kernel) throws -> AccuracyModel {
        try AccuracyModel.fit(complete.compactMap { trial in trial.accuracy.map { (trial.architecture, $0) } },
                              encoding: encoding, warmStart: kernel, optimize: false, restarts: 0)
    }

    static func kernel(lengthScale: Double) -> Kernel {
        Kernel(family: .matern52, signalVariance: 1.1,
               lengthScales: (0..<encoding.names.count).map { lengthScale * (1 + 0.2 * Double($0)) },
               noiseVariance: 2e-2, bounds: AccuracyModel.bounds)
    }

    /// The fast and the full believer pick the same candidate with the same log EI and agree on
    /// the posterior at every candidate.
    static func expectSamePick(_ full: AccuracyModel, _ cached: AccuracyModel, complete: [Trial], running: [Trial],
                               seed: UInt64) throws {
        // The fast path answers itself rather than falling back to the full computation.
        let cache = try #require(cached.posteriorCache)
        let encoded = try AccuracyModel.encodedMatrix(pool.admitted.prefix(50).map(\.architecture), encoding: encoding)
        let pending = running.isEmpty ? nil : try AccuracyModel.encodedMatrix(running.map(\.architecture), encoding: encoding)
        #expect(cache.predict(encoded, process: cached.process, pending: pending) != nil)
        let fullBeliever = try full.withFantasies(running.map(\.architecture))
        let fastBeliever = try cached.withFantasies(running.map(\.architecture))
        let taken = Set((complete + running).map(\.architecture))
        var fullGenerator = SplitMix64(seed: seed)
        var fastGenerator = SplitMix64(seed: seed)
        let expected = try #require(AcquisitionProposer(pool: pool).propose(
            model: fullBeliever, evaluated: complete, taken: taken, using: &fullGenerator))
        // The server's path: the posterior cache, and the candidates' inputs kept between asks.
        let actual = try #require(AcquisitionProposer(pool: pool, inputs: inputs).propose(
            model: fastBeliever, evaluated: complete, taken: taken, using: &fastGenerator))
        #expect(actual.candidate == expected.candidate)
        #expect(abs(actual.logExpectedImprovement - expected.logExpectedImprovement)
                <= 1e-9 * max(abs(expected.logExpectedImprovement), 1))
        let candidates = pool.admitted.prefix(500).map(\.architecture)
        let fullPrediction = fullBeliever.predict(candidates)
        let fastPrediction = fastBeliever.predict(candidates)
        for index in candidates.indices {
            #expect(abs(fastPrediction.mean[index] - fullPrediction.mean[index]) <= 1e-9 * abs(fullPrediction.mean[index]))
            #expect(abs(fastPrediction.standardDeviation[index] - fullPrediction.standardDeviation[index])
                    <= 1e-9 * max(fullPrediction.standardDeviation[index], 1e-3 * full.process.targetScale))
        }
    }

    @Test(arguments: [UInt64(11), 12, 13])
    func theCachedPosteriorPicksWhatAFullRefitPicksAsTrialsRunAndComplete(seed: UInt64) throws {
        let all = Self.trials(70, seed: seed)
        let kernel = Self.kernel(lengthScale: 0.7)
        let cache = PosteriorCache()
        var complete = 8
        var step: UInt64 = 0
        while complete + 8 <= all.count {
            let full = try Self.fit(all.prefix(complete), kernel: kernel)
            var cached = full
            cached.posteriorCache = cache
            // Trials complete out of order: the running ones are the next few, one of them at times skipped.
            let running = Array(all[complete..<(complete + 1 + Int(step % 7))]).filter { $0.number % 11 != 3 }
            try Self.expectSamePick(full, cached, complete: Array(all.prefix(complete)), running: running,
                                    seed: seed &+ step)
            complete += 1 + Int(step % 3)
            step += 1
        }
    }

    @Test func afterNewHyperparametersAreSwappedInTheCachedPosteriorStillPicksWhatAFullRefitPicks() throws {
        let all = Self.trials(40, seed: 21)
        let cache = PosteriorCache()
        let running = Array(all[30..<34])
        for (count, lengthScale) in [(30, 0.7), (30, 0.3), (31, 0.3), (31, 1.5)] {
            let full = try Self.fit(all.prefix(count), kernel: Self.kernel(lengthScale: lengthScale))
            var cached = full
            cached.posteriorCache = cache
            try Self.expectSamePick(full, cached, complete: Array(all.prefix(count)),
                                    running: running.filter { $0.number >= count }, seed: UInt64(count))
        }
    }

    @Test func onlyTheServersBackgroundModelAnswersFromTheCache() throws {
        let trials = Self.trials(12, seed: 3)
        let study = Study(name: "s", settings: StudySettings(budget: Self.budget, targetTrials: 20, seed: 1, evaluator: "test"))
        var inline = StudyModel(study: study)
        var background = StudyModel(study: study, refresh: .background)
        #expect(try inline.model(for: trials).posteriorCache == nil)
        #expect(try background.model(for: trials).posteriorCache != nil)
    }
}
