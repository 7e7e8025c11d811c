import Testing
@testable import GaussianProcess

/// The posterior cache answers what a full refit with the same hyperparameters answers: the
/// process conditioned on the pending inputs at their predicted means, then a prediction.
@Suite("Posterior cache")
struct PosteriorCacheTests {
    static let dimensions = 5

    static func kernel(_ lengthScale: Double = 0.6) -> Kernel {
        Kernel(family: .matern52, signalVariance: 1.3,
               lengthScales: (0..<dimensions).map { lengthScale + 0.1 * Double($0) }, noiseVariance: 1e-2)
    }

    /// Points in [0, 1]^d on a grid of eighths (so that some repeat), with a smooth noisy target.
    static func points(_ count: Int, using generator: inout SplitMix64) -> [(row: [Double], target: Double)] {
        (0..<count).map { _ in
            let row = (0..<dimensions).map { _ in Double(Int(generator.nextUnit() * 9)) / 8 }
            let target = 70 + 4 * row[0] - 3 * row[1] * row[2] + row[3] + 0.2 * generator.nextUnit()
            return (row, target)
        }
    }

    static func fit(_ points: ArraySlice<(row: [Double], target: Double)>, kernel: Kernel) throws -> FittedGaussianProcess {
        try GaussianProcessRegressor(kernel: kernel, optimize: false)
            .fit(x: Matrix(rowMajor: points.map(\.row)), y: points.map(\.target))
    }

    /// What the cache must give: the believer conditioned in full, then predicted.
    static func fullRefit(_ process: FittedGaussianProcess, pending: Matrix?, at x: Matrix) throws -> Prediction {
        guard let pending else { return process.predict(x) }
        return try process.conditioned(onAdditional: pending, y: process.predict(pending).mean).predict(x)
    }

    /// Agreement to 1e-9 relative (the standard deviation relative to the prior's, where it
    /// is smaller: near an observation both are a difference of nearly equal numbers).
    static func expectAgreement(_ cache: PosteriorCache, _ process: FittedGaussianProcess, pending: Matrix?,
                                at x: Matrix) throws {
        let expected = try fullRefit(process, pending: pending, at: x)
        let actual = try #require(cache.predict(x, process: process, pending: pending))
        let priorDeviation = process.kernel.signalVariance.squareRoot() * process.targetScale
        for row in 0..<x.rows {
            #expect(relativelyClose(actual.mean[row], expected.mean[row], 1e-9), "mean at row \(row)")
            #expect(abs(actual.standardDeviation[row] - expected.standardDeviation[row])
                    <= 1e-9 * max(expected.standardDeviation[row], 1e-3 * priorDeviation), "deviation at row \(row)")
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func growingDataAndChangingPendingInputsGiveTheFullRefitsPosterior(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        let all = Self.points(90, using: &generator)
        let queries = try Matrix(rowMajor: Self.points(150, using: &generator).map(\.row) + all.prefix(20).map(\.row))
        let cache = PosteriorCache()
        var observed = 6
        while observed + 6 <= all.count {
            let process = try Self.fit(all.prefix(observed), kernel: Self.kernel())
            // The next few points are running; now and then one of them has failed and left.
            var running = Array(all[observed..<(observed + 1 + Int(generator.nextUnit() * 5))].map(\.row))
            if generator.nextUnit() < 0.2, running.count > 1 { running.remove(at: 0) }
            try Self.expectAgreement(cache, process, pending: try Matrix(rowMajor: running), at: queries)
            observed += 1 + Int(generator.nextUnit() * 3)
        }
    }

    @Test func withoutPendingInputsItGivesTheProcesssOwnPrediction() throws {
        var generator = SplitMix64(seed: 9)
        let all = Self.points(40, using: &generator)
        let queries = try Matrix(rowMajor: Self.points(60, using: &generator).map(\.row))
        let cache = PosteriorCache()
        for observed in [10, 11, 15, 40] {
            try Self.expectAgreement(cache, try Self.fit(all.prefix(observed), kernel: Self.kernel()), pending: nil,
                                     at: queries)
        }
    }

    @Test func newHyperparametersRebuildAndAgreeWithTheFullRefit() throws {
        var generator = SplitMix64(seed: 5)
        let all = Self.points(50, using: &generator)
        let queries = try Matrix(rowMajor: Self.points(80, using: &generator).map(\.row))
        let pending = try Matrix(rowMajor: all[40..<44].map(\.row))
        let cache = PosteriorCache()
        try Self.expectAgreement(cache, try Self.fit(all.prefix(40), kernel: Self.kernel(0.6)), pending: pending, at: queries)
        try Self.expectAgreement(cache, try Self.fit(all.prefix(40), kernel: Self.kernel(0.25)), pending: pending, at: queries)
        try Self.expectAgreement(cache, try Self.fit(all.prefix(41), kernel: Self.kernel(0.25)), pending: pending, at: queries)
    }

    @Test func aCachePreparedForNewHyperparametersAgreesWithTheFullRefitAsTheDataGrows() throws {
        var generator = SplitMix64(seed: 8)
        let all = Self.points(50, using: &generator)
        let queries = try Matrix(rowMajor: Self.points(80, using: &generator).map(\.row))
        let cache = PosteriorCache()
        _ = try #require(cache.predict(queries, process: try Self.fit(all.prefix(30), kernel: Self.kernel(0.6))))
        // Prepared from the 30 points the search saw; used after 3 more results, with trials running.
        let prepared = cache.prepared(for: try Self.fit(all.prefix(30), kernel: Self.kernel(0.35)))
        try Self.expectAgreement(prepared, try Self.fit(all.prefix(33), kernel: Self.kernel(0.35)),
                                 pending: try Matrix(rowMajor: all[33..<36].map(\.row)), at: queries)
    }

    @Test func queriesThatAreNotFiniteOrOfAnotherWidthAreLeftToTheFullComputation() throws {
        var generator = SplitMix64(seed: 6)
        let process = try Self.fit(Self.points(20, using: &generator)[...], kernel: Self.kernel())
        let cache = PosteriorCache()
        #expect(cache.predict(try Matrix(rowMajor: [[0.1, .nan, 0.2, 0.3, 0.4]]), process: process) == nil)
        #expect(cache.predict(try Matrix(rowMajor: [[0.1, 0.2]]), process: process) == nil)
        #expect(cache.predict(try Matrix(rowMajor: [[0.1, 0.2, 0.3, 0.4, 0.5]]), process: process,
                              pending: try Matrix(rowMajor: [[.infinity, 0, 0, 0, 0]])) == nil)
    }
}
