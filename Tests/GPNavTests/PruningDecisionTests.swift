import Foundation
import GaussianProcess
import Testing
@testable import GPNav

/// The pruning decision on synthetic learning curves: one factor s in [0, 1] (the model's size),
/// final accuracy 60 + 20 s, reached along 1 - exp(-epoch / tau) with tau = 2 + 4 s (small models
/// rise faster and plateau lower), plus a seeded noise of 0.3 points per report, shifted down by
/// `shift` points where a test asks (and kept within 0...100); E = 27.
struct PruningDecisionTests {
    static let fullEpochs = 27

    static func accuracy(size: Double, epoch: Int, noise: Double = 0.3, seed: UInt64) -> Double {
        var generator = SplitMix64(seed: seed &* 1_000 &+ UInt64(epoch))
        let final = 60 + 20 * size
        return final * (1 - exp(-Double(epoch) / (2 + 4 * size))) + noise * generator.nextStandardNormal()
    }

    static func curve(_ trial: Int, size: Double, epochs: Int, status: PruningCurve.Status, shift: Double = 0) -> PruningCurve {
        PruningCurve(trial: trial, factors: [size, 0.5],
                     reports: (1...epochs).map { epoch in
                         .init(epoch: epoch, accuracy: min(100, max(0, accuracy(size: size, epoch: epoch, seed: UInt64(trial)) - shift)))
                     },
                     status: status)
    }

    /// Five complete curves over the sizes, and the best of their final results.
    static var complete: [PruningCurve] {
        [0.0, 0.3, 0.5, 0.7, 1.0].enumerated().map { curve($0.offset, size: $0.element, epochs: fullEpochs, status: .complete) }
    }
    static var best: Double { complete.compactMap { $0.reports.last?.accuracy }.max() ?? 0 }

    let decision: PruningDecision
    init() throws { decision = try PruningDecision(fullEpochs: Self.fullEpochs) }

    @Test func aHopelessCurveIsStoppedEarly() throws {
        let running = Self.curve(9, size: 0.1, epochs: 3, status: .running)
        let verdict = try decision.verdict(for: 9, curves: Self.complete + [running], best: Self.best)
        #expect(verdict.shouldStop, "\(verdict)")
        #expect(try #require(verdict.predictedFinal) < Self.best - 10)
    }

    @Test(arguments: [0.0, -2.0])
    func aPromisingCurveIsNotStopped(shift: Double) throws {
        // The best complete trial's architecture trained again (another seed), level with its
        // curve or two points above it: on course to match or beat the best.
        let running = Self.curve(9, size: 1.0, epochs: 3, status: .running, shift: shift)
        let verdict = try decision.verdict(for: 9, curves: Self.complete + [running], best: Self.best)
        #expect(!verdict.shouldStop, "\(verdict)")
        #expect(verdict.reason == .promising)
        #expect(try #require(verdict.optimisticFinal) >= Self.best)
    }

    @Test(arguments: [3, 9])
    func aTrainingThatCanBeContinuedPausesAtEachRungEvenWhenPromisingAndOneThatCannotGoesOn(epochs: Int) throws {
        let running = Self.curve(9, size: 1.0, epochs: epochs, status: .running)
        let curves = Self.complete + [running]
        let resumable = try PruningDecision(fullEpochs: Self.fullEpochs, resumable: true)
        let paused = try resumable.verdict(for: 9, curves: curves, best: Self.best)
        #expect(paused.reason == .paused && paused.shouldStop, "\(paused)")
        #expect(try #require(paused.optimisticFinal) >= Self.best, "promising: a pause, not a stop for good")
        let kept = try decision.verdict(for: 9, curves: curves, best: Self.best)
        #expect(kept.reason == .promising && !kept.shouldStop, "\(kept)")
        #expect(kept.predictedFinal == paused.predictedFinal)
        // Between rungs nothing pauses.
        let between = Self.curve(9, size: 1.0, epochs: epochs + 1, status: .running)
        #expect(try resumable.verdict(for: 9, curves: Self.complete + [between], best: Self.best).reason == .betweenRungs)
    }

    @Test func aHopelessTrainingThatCanBeContinuedIsStillCalledHopeless() throws {
        let running = Self.curve(9, size: 0.1, epochs: 3, status: .running)
        let resumable = try PruningDecision(fullEpochs: Self.fullEpochs, resumable: true)
        let verdict = try resumable.verdict(for: 9, curves: Self.complete + [running], best: Self.best)
        #expect(verdict.reason == .hopeless && verdict.shouldStop, "\(verdict)")
    }

    @Test func noTrialStopsBeforeTheMinimumEpochs() throws {
        #expect(decision.minimumEpochs == 3)
        let running = Self.curve(9, size: 0.0, epochs: 2, status: .running, shift: 30)
        let verdict = try decision.verdict(for: 9, curves: Self.complete + [running], best: Self.best)
        #expect(verdict == PruningVerdict(reason: .tooEarly))
    }

    @Test func noTrialStopsWithoutTwoCompleteCurves() throws {
        let running = Self.curve(9, size: 0.0, epochs: 9, status: .running, shift: 30)
        let verdict = try decision.verdict(for: 9, curves: [Self.complete[4], running], best: Self.best)
        #expect(verdict == PruningVerdict(reason: .noModel))
    }

    @Test(arguments: [0.2, 0.6, 0.9])
    func aLowerCurveIsStoppedNoLater(size: Double) throws {
        // Shifting the running curve down, or raising the best, never turns a stop into a go-on.
        var stopped = false
        for shift in [0.0, 1, 2, 4, 8, 16, 32] {
            let running = Self.curve(9, size: size, epochs: 9, status: .running, shift: shift)
            let verdict = try decision.verdict(for: 9, curves: Self.complete + [running], best: Self.best)
            #expect(!stopped || verdict.shouldStop, "size \(size): shift \(shift) goes on after a smaller shift stopped")
            stopped = verdict.shouldStop
        }
        #expect(stopped, "a curve 32 points lower is stopped")
        var stoppedAtBest = false
        let running = Self.curve(9, size: size, epochs: 9, status: .running)
        for best in stride(from: Self.best, through: 100, by: 2) {
            let verdict = try decision.verdict(for: 9, curves: Self.complete + [running], best: best)
            #expect(!stoppedAtBest || verdict.shouldStop)
            stoppedAtBest = verdict.shouldStop
        }
    }

    @Test func aLargerNoiseFloorWidensThePrediction() throws {
        let running = Self.curve(9, size: 0.4, epochs: 9, status: .running)
        let curves = Self.complete + [running]
        let tight = try decision.verdict(for: 9, curves: curves, best: Self.best)
        let loose = try PruningDecision(fullEpochs: Self.fullEpochs, noiseFloor: 4).verdict(for: 9, curves: curves, best: Self.best)
        #expect(try #require(loose.predictedStd) >= 2 * (1 - 1e-9))
        #expect(try #require(loose.predictedStd) > (try #require(tight.predictedStd)))
    }

    @Test func theVerdictIsAPureFunctionOfTheCurves() throws {
        let running = Self.curve(9, size: 0.4, epochs: 9, status: .running)
        let pruned = Self.curve(7, size: 0.2, epochs: 3, status: .pruned)
        let curves = Self.complete + [pruned, running]
        let first = try decision.verdict(for: 9, curves: curves, best: Self.best)
        let again = try decision.verdict(for: 9, curves: curves.reversed(), best: Self.best)
        #expect(first == again)
        #expect(first.predictedFinal != nil)
    }

    @Test func rungsAreTheFirstRungTimesPowersOfTheReductionFactorBelowTheFullLength() throws {
        #expect(decision.rungs == [3, 9])
        #expect(try PruningDecision(fullEpochs: 9).rungs == [1, 3])
        #expect(try PruningDecision(fullEpochs: 100).rungs == [12, 36])
        #expect(try PruningDecision(fullEpochs: 100, minimumEpochs: 5, reductionFactor: 2).rungs == [5, 10, 20, 40, 80])
        #expect(try PruningDecision(fullEpochs: 1).rungs == [])
    }

    @Test func aTrialIsJudgedOnlyWhenItsLastReportReachesARung() throws {
        let hopeless = Self.curve(9, size: 0.0, epochs: 26, status: .running, shift: 30)
        for epochs in 3...26 {
            var running = hopeless
            running.reports = Array(hopeless.reports.prefix(epochs))
            let verdict = try decision.verdict(for: 9, curves: Self.complete + [running], best: Self.best)
            #expect(verdict.shouldStop == [3, 9].contains(epochs), "epoch \(epochs): \(verdict)")
            #expect((verdict.reason == .betweenRungs) == ![3, 9].contains(epochs))
        }
        // A command that reports every few epochs is judged at the first report past a rung.
        var sparse = hopeless
        sparse.reports = hopeless.reports.filter { [2, 5].contains($0.epoch) }
        #expect(try decision.verdict(for: 9, curves: Self.complete + [sparse], best: Self.best).shouldStop)
        #expect(decision.reachesRung([5, 2]) && !decision.reachesRung([2]) && !decision.reachesRung([3, 4]))
    }

    @Test func aCurveTeachesTheModelItsRungsAndItsLastReportOnly() throws {
        let reports = (1...27).map { PruningCurve.Report(epoch: $0, accuracy: Double($0)) }
        #expect(decision.modelPoints(reports.reversed()).map(\.epoch) == [3, 9, 27])
        #expect(decision.modelPoints(Array(reports.prefix(5))).map(\.epoch) == [3, 5])
    }

    @Test func aDecisionLearnsFromTheNearestFinishedCurvesUpToTheLimit() throws {
        // 150 finished curves, a third pruned: the decision reads curveLimit of them, two thirds
        // complete, nearest the running trial's architecture, and nothing else changes its verdict.
        var finished: [PruningCurve] = []
        for index in 0..<150 {
            let pruned = index % 3 == 0
            let size = Double(index % 50) / 49
            finished.append(Self.curve(100 + index, size: size, epochs: pruned ? 3 : Self.fullEpochs,
                                       status: pruned ? .pruned : .complete))
        }
        let running = Self.curve(9, size: 0.3, epochs: 9, status: .running)
        let used: [PruningCurve] = decision.nearest(finished, to: running.factors)
        #expect(used.count == decision.curveLimit)
        let usedComplete: [PruningCurve] = used.filter { $0.status == .complete }
        #expect(usedComplete.count == 2 * decision.curveLimit / 3)
        func distance(_ curve: PruningCurve) -> Double { abs(curve.factors[0] - 0.3) }
        let farthestUsed: Double = usedComplete.map(distance).max() ?? 1
        let left: [PruningCurve] = finished.filter { $0.status == .complete && !used.contains($0) }
        #expect(left.allSatisfy { distance($0) >= farthestUsed })
        let finals: [Double] = finished.filter { $0.status == .complete }.compactMap { $0.reports.last?.accuracy }
        let best: Double = finals.max() ?? 0
        #expect(try decision.verdict(for: 9, curves: finished + [running], best: best)
                    == decision.verdict(for: 9, curves: used + [running], best: best))
    }

    @Test func malformedCurvesAreRefusedWithTheirReason() throws {
        let running = Self.curve(9, size: 0.4, epochs: 4, status: .running)
        func verdict(_ curves: [PruningCurve], trial: Int = 9, best: Double = Self.best) throws -> PruningVerdict {
            try decision.verdict(for: trial, curves: curves, best: best)
        }
        var late = running
        late.reports.append(.init(epoch: 28, accuracy: 50))
        #expect(throws: PruningError.epochOutOfRange(trial: 9, epoch: 28, fullEpochs: 27)) { try verdict([late]) }
        var twice = running
        twice.reports.append(.init(epoch: 2, accuracy: 50))
        #expect(throws: PruningError.repeatedEpoch(trial: 9, epoch: 2)) { try verdict([twice]) }
        var nan = running
        nan.reports[0].accuracy = .nan
        #expect(throws: PruningError.self) { try verdict([nan]) }
        var wide = running
        wide.factors = [0.4, 0.5, 0.5]
        #expect(throws: PruningError.factorMismatch(trial: 9, expected: 2, actual: 3)) { try verdict(Self.complete + [wide]) }
        #expect(throws: PruningError.unknownTrial(8)) { try verdict([running], trial: 8) }
        #expect(throws: PruningError.notRunning(0)) { try verdict(Self.complete, trial: 0) }
        #expect(throws: PruningError.self) { try verdict([running], best: .infinity) }
        #expect(throws: PruningError.self) { try PruningDecision(fullEpochs: 0) }
        #expect(throws: PruningError.self) { try PruningDecision(fullEpochs: 10, minimumEpochs: 11) }
        #expect(throws: PruningError.self) { try PruningDecision(fullEpochs: 10, noiseFloor: -1) }
    }
}
