import Foundation
@testable import GPNav
import MobileViT
import Testing

@Suite("Front of two objectives")
struct ObjectiveFrontPlotTests {
    /// Five complete trials with hand-chosen parameters, accuracies and latencies, and one failed:
    ///
    /// | # | params | accuracy | latency_ms | on the (params min, accuracy max) front |
    /// |---|--------|----------|------------|-----------------------------------------|
    /// | 0 | 1.0 M  | 60       | 9          | yes (fewest parameters)                 |
    /// | 1 | 2.0 M  | 65       | 7          | yes                                     |
    /// | 2 | 2.0 M  | 62       | 12         | no (1 has as many, more accurate)       |
    /// | 3 | 3.0 M  | 64       | 5          | no (1 has fewer, more accurate)         |
    /// | 4 | 4.0 M  | 70       | -          | yes (most accurate)                     |
    static func study() throws -> (Study, [Trial]) {
        let study = Study(id: 1, name: "hand", settings: StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 6,
                                                                     seed: 3, evaluator: "python train.py"))
        let rows: [(params: Int, accuracy: Double, latency: Double?)] = [
            (1_000_000, 60, 9), (2_000_000, 65, 7), (2_000_000, 62, 12), (3_000_000, 64, 5), (4_000_000, 70, nil),
        ]
        var trials = try rows.enumerated().map { number, row in
            Trial(id: Int64(number + 1), studyID: 1, number: number, state: .complete,
                  architecture: try Architecture(resolution: 160 + 32 * number, width: 0.5), macs: 100_000_000 * (number + 1),
                  params: row.params, accuracy: row.accuracy, metrics: row.latency.map { ["latency_ms": $0] } ?? [:],
                  proposal: Proposal(kind: .manual), startedAt: Date(timeIntervalSince1970: 0))
        }
        trials.append(Trial(id: 6, studyID: 1, number: 5, state: .failed, architecture: try Architecture(resolution: 256, width: 2),
                            macs: 7_000_000_000, params: 500_000, proposal: Proposal(kind: .manual), error: "exit 1",
                            startedAt: Date(timeIntervalSince1970: 0)))
        return (study, trials)
    }

    @Test func theFrontIsTheTrialsNoOtherBeatsInBothObjectives() throws {
        let (study, trials) = try Self.study()
        let plot = try StudyPlots.front(study: study, trials: trials, curves: [:], x: .params, y: .accuracy)
        #expect(plot.points.map(\.number) == [0, 1, 2, 3, 4])
        #expect(plot.front.map(\.number) == [0, 1, 4])
        let svg = SVGInspector(plot.render())
        #expect(svg.isWellFormed, "\(svg.parseError ?? "")")
        #expect(svg.count(class: "front") == 3 && svg.count(class: "trial-mark") == 2)
        #expect(svg.elements(class: "axis-label").map(\.text) == ["parameters (M, log scale)", "top-1 accuracy (%)"])
        // Over the budget of 300 M MACs: trials 3 and 4 are hollow.
        #expect(svg.elements(class: "over-budget").count == 2)
    }

    @Test func latencyCountsOnlyTheTrialsThatMeasuredIt() throws {
        let (study, trials) = try Self.study()
        let plot = try StudyPlots.front(study: study, trials: trials, curves: [:], x: .latency, y: .accuracy)
        #expect(plot.points.map(\.number) == [0, 1, 2, 3])
        // Latency min, accuracy max: 3 (5 ms, 64) and 1 (7 ms, 65); 0 and 2 are slower and less accurate.
        #expect(plot.front.map(\.number) == [3, 1])
        var unmeasured = trials
        for index in unmeasured.indices { unmeasured[index].metrics = [:] }
        #expect(throws: PlotError.noObjectiveValues(study: "hand", missing: "a measured latency")) {
            try StudyPlots.front(study: study, trials: unmeasured, curves: [:], x: .latency, y: .accuracy)
        }
        #expect(PlotError.noObjectiveValues(study: "hand", missing: "a measured latency").description
            == "no complete trial of study 'hand' has a measured latency")
        #expect(throws: PlotError.sameAxes("macs")) {
            try StudyPlots.front(study: study, trials: trials, curves: [:], x: .macs, y: .macs)
        }
    }

    @Test func theLatencyParetoPlotsMeasuredTrialsAgainstTheLatencyBudgetLine() throws {
        var (study, trials) = try Self.study()
        study.settings.latency = LatencyBudget(maxMs: 20, device: "edge")
        let plot = try StudyPlots.latencyPareto(study: study, trials: trials)
        #expect(plot.x == .latency && plot.y == .accuracy && plot.xBudget == 20)
        #expect(plot.points.map(\.number) == [0, 1, 2, 3], "trial 4 measured no latency")
        #expect(plot.front.map(\.number) == [3, 1])
        let svg = SVGInspector(plot.render())
        #expect(svg.isWellFormed, "\(svg.parseError ?? "")")
        #expect(svg.elements(class: "budget-label").map(\.text) == ["budget 20 ms"])
        #expect(svg.count(class: "budget-line") == 1)
        #expect(svg.elements(class: "axis-label").map(\.text) == ["measured latency (ms)", "top-1 accuracy (%)"])
        #expect(svg.elements(class: "title").map(\.text) == ["Accuracy against measured latency: study hand"])
        // Without a latency budget (a study measured by another one's device) there is no line.
        study.settings.latency = nil
        #expect(SVGInspector(try StudyPlots.latencyPareto(study: study, trials: trials).render()).count(class: "budget-line") == 0)
    }

    @Test func epochsComeFromTheLearningCurveElseTheStudysTrainingLength() throws {
        var (study, trials) = try Self.study()
        study.settings.epochs = 10
        // Trial 1 was stopped early by its curve at epoch 3; the others trained the full 10.
        let curves: [Int64: [EpochReport]] = [2: [EpochReport(epoch: 1, accuracy: 40), EpochReport(epoch: 3, accuracy: 65)]]
        let plot = try StudyPlots.front(study: study, trials: trials, curves: curves, x: .epochs, y: .accuracy)
        #expect(plot.points.map(\.x) == [10, 3, 10, 10, 10])
        #expect(plot.front.map(\.number) == [1, 4])
    }

    // Corners lie where the front dominates: with x minimised, across then up; with x maximised, up then across.
    @Test func theStaircaseTurnsInTheDominatedRegion() throws {
        let (study, trials) = try Self.study()
        let minimised = try StudyPlots.front(study: study, trials: trials, curves: [:], x: .params, y: .accuracy)
        let corners = minimised.staircase([(x: 0, y: 0), (x: 10, y: 5)])
        #expect(corners.map(\.x) == [0, 10, 10] && corners.map(\.y) == [0, 0, 5])
        let maximised = try StudyPlots.front(study: study, trials: trials, curves: [:], x: .accuracy, y: .params)
        let other = maximised.staircase([(x: 0, y: 0), (x: 10, y: 5)])
        #expect(other.map(\.x) == [0, 0, 10] && other.map(\.y) == [0, 5, 5])
    }
}
