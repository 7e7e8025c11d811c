import Foundation
@testable import GPNav
import MobileViT
import Testing

/// What each study picture shows, read back from its SVG: the Pareto plot's axes follow the study,
/// the cube's colours follow the explored region and its panels honour categorical factors and
/// the recommended trial, the history tells the downsizing chain from the GP's trials.
@Suite("Study pictures")
struct StudyPictureTests {
    /// A MobileViTv2 study under 300 M MACs in which the chain's first two trials are over budget:
    /// a start model, two downsizing steps, five GP trials, one random and one failed trial,
    /// scored by the noise-free simulator.
    static func study() throws -> (Study, [Trial]) {
        let study = Study(id: 1, name: "pictures", settings: StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 10,
                                                                 seed: 3, evaluator: "stub: training simulator"))
        let simulator = TrainingSimulator(seed: 0, noise: 0)
        let shapes: [(Int, Double, Double, Proposal.Kind)] = [
            (256, 0.5, 1, .start), (256, 0.4375, 1, .downsize), (240, 0.4375, 0.5, .downsize),
            (160, 0.75, 0.5, .gp), (176, 0.625, 0.5, .gp), (128, 0.75, 1, .gp), (224, 0.5, 0.5, .gp),
            (160, 0.5, 1.5, .gp), (192, 0.5, 1, .random),
        ]
        var trials: [Trial] = []
        for (number, shape) in shapes.enumerated() {
            let architecture = try Architecture(resolution: shape.0, width: shape.1, mv2DepthMultiplier: shape.2,
                                                vitDepthMultiplier: shape.2)
            let cost = CostModel.cost(of: architecture)
            trials.append(Trial(studyID: 1, number: number, state: .complete, architecture: architecture,
                                macs: cost.macs, params: cost.params, accuracy: simulator.noiseFreeAccuracy(architecture),
                                proposal: Proposal(kind: shape.3, step: shape.3 == .gp ? nil : 0),
                                startedAt: Date(timeIntervalSince1970: 0)))
        }
        let failed = try Architecture(resolution: 128, width: 0.5)
        trials.append(Trial(studyID: 1, number: shapes.count, state: .failed, architecture: failed,
                            macs: CostModel.cost(of: failed).macs, params: CostModel.cost(of: failed).params,
                            proposal: Proposal(kind: .gp), error: "exit 1", startedAt: Date(timeIntervalSince1970: 0)))
        return (study, trials)
    }

    /// A MobileViT v1 study whose trials use both MV2 expansions (2 and 4).
    static func v1Study() throws -> (Study, [Trial]) {
        let space = SearchSpace(family: MobileViTv1Family())
        let study = Study(id: 2, name: "v1", settings: StudySettings(space: space, budget: Budget(macs: 700_000_000), targetTrials: 8,
                                                           seed: 3, evaluator: "stub: training simulator"))
        let simulator = TrainingSimulator(seed: 0, noise: 0)
        let expansion = try #require(CubeFactor(rawValue: "mv2-expansion")).position(in: space)
        var trials: [Trial] = []
        for number in 0..<8 {
            var indices = space.grids.map { $0.count / 2 }
            indices[0] = (number * 3) % space.grids[0].count
            indices[1] = (number * 5) % space.grids[1].count
            indices[expansion] = number % 2
            let architecture = try space.architecture(at: GridPoint(indices))
            let cost = CostModel.cost(of: architecture)
            trials.append(Trial(studyID: 2, number: number, state: .complete, architecture: architecture,
                                macs: cost.macs, params: cost.params, accuracy: simulator.noiseFreeAccuracy(architecture),
                                proposal: Proposal(kind: .gp), startedAt: Date(timeIntervalSince1970: 0)))
        }
        return (study, trials)
    }

    // Published MobileViTv2 models reach 7 G MACs; a 300 M study's trials lie between about 120 M
    // and 470 M. The axis must cover the trials and the budget, and stop well short of 1 G.
    @Test func paretoAxisSpansTheStudysMACsAndNamesThePublishedModelsBeyondIt() throws {
        let (study, trials) = try Self.study()
        let plot = try StudyPlots.pareto(study: study, trials: trials)
        let macs = trials.filter { $0.state == .complete }.map(\.macs) + [300_000_000]
        let interval = plot.macsInterval()
        #expect(interval.lower <= Double(macs.min() ?? 0) && interval.upper >= Double(macs.max() ?? 0))
        #expect(interval.upper < 1e9, "the x axis reaches \(interval.upper) MACs")
        let svg = SVGInspector(plot.render())
        #expect(svg.isWellFormed, "\(svg.parseError ?? "")")
        let inRange = PublishedReferences.points(of: study.space.family)
            .filter { Double($0.macs) >= interval.lower && Double($0.macs) <= interval.upper }
        #expect(svg.count(class: "reference-mark") == inRange.count)
        let beyond = PublishedReferences.points(of: study.space.family).filter { Double($0.macs) > interval.upper }
        #expect(beyond.compactMap(\.label) == ["v2-0.75", "v2-1", "v2-1.25", "v2-1.5", "v2-1.75", "v2-2"])
        let span = Quantity.formatCount(beyond.first?.macs ?? 0) + " to " + Quantity.formatCount(beyond.last?.macs ?? 0)
        #expect(svg.elements(class: "reference-mark-offscale").map(\.text) == ["v2-0.75 ... v2-2 (\(span)) \u{2192}"])
    }

    @Test func macsTicksShareOneUnitNamedInTheAxisTitle() throws {
        let narrow = PlotAxis(scale: .log10, lower: 1.2e8, upper: 6e8, start: 0, end: 100)
        let (ticks, unit) = AccuracyMACsPlot.macsTicks(narrow)
        #expect(unit == "M")
        #expect(ticks.map(\.label) == ["200", "300", "400", "500", "600"])
        let wide = AccuracyMACsPlot.macsTicks(PlotAxis(scale: .log10, lower: 1.5e8, upper: 2.5e9, start: 0, end: 100))
        #expect(wide.unit == "G")
        #expect(wide.ticks.map(\.label) == ["0.2", "0.5", "1", "2"])
        let (study, trials) = try Self.study()
        let svg = SVGInspector(try StudyPlots.pareto(study: study, trials: trials).render())
        #expect(svg.elements(class: "axis-label").first?.text == "multiply-accumulates per image (M MACs, log scale)")
        #expect(!svg.elements(class: "tick-label").contains { $0.text.contains("G") || $0.text.contains("M") })
    }

    @Test func paretoMarksTrialsOverBudgetHollowWithALegendEntry() throws {
        let (study, trials) = try Self.study()
        let over = trials.filter { $0.state == .complete && !study.budget.admits(macs: $0.macs, params: $0.params) }
        #expect(over.count == 2)  // the start model and the first step
        let svg = SVGInspector(try StudyPlots.pareto(study: study, trials: trials).render())
        let marks = svg.elements(class: "trial-mark")
        #expect(marks.filter { ($0.attributes["class"] ?? "").contains("over-budget") }.count == over.count)
        #expect(svg.count(class: "over-budget-region") == 1)
        #expect(svg.elements(class: "legend").map(\.text).contains("over budget (hollow)"))
        // Within budget, no such legend entry.
        let within = trials.filter { study.budget.admits(macs: $0.macs, params: $0.params) }
        let clean = SVGInspector(try StudyPlots.pareto(study: study, trials: within).render())
        #expect(clean.count(class: "over-budget") == 0)
        #expect(!clean.elements(class: "legend").map(\.text).contains("over budget (hollow)"))
        // A series without points (a family with no published top-1) has no legend entry.
        let empty = AccuracyMACsPlot(title: "t", series: [
            .init(name: "drawn", points: [.init(macs: 200_000_000, accuracy: 60)], color: "#000", cssClass: "a"),
            .init(name: "nothing", points: [], color: "#000", cssClass: "b"),
        ], budgetMACs: nil)
        #expect(SVGInspector(empty.render()).elements(class: "legend").map(\.text) == ["drawn"])
    }

    @Test func historyTellsTheChainFromGPTrialsAndListsOnlyWhatIsDrawn() throws {
        let (study, trials) = try Self.study()
        let svg = SVGInspector(try StudyPlots.history(study: study, trials: trials).render())
        #expect(svg.isWellFormed)
        #expect(svg.count(class: "chain") == 3)
        #expect(svg.count(class: "gp") == 5)
        #expect(svg.count(class: "random") == 1)
        #expect(svg.elements(class: "chain").allSatisfy { $0.name == "rect" })  // squares
        #expect(svg.elements(class: "gp").allSatisfy { $0.name == "circle" })
        #expect(svg.elements(class: "legend").map(\.text) == [
            "best so far within budget", "downsizing chain", "GP expected improvement", "random draw",
            "over budget (hollow)", "failed or pruned",
        ])
        // Only GP trials, all complete and within budget: three legend entries for three kinds drawn.
        let gpOnly = trials.filter { $0.proposal.kind == .gp && $0.state == .complete }
        let plain = SVGInspector(try StudyPlots.history(study: study, trials: gpOnly).render())
        #expect(plain.elements(class: "legend").map(\.text) == ["best so far within budget", "GP expected improvement"])
        #expect(plain.count(class: "failed-mark") == 0)
    }

    // Cells at 100, 300 and 900 M MACs predicted 50, 70 and 90 %; a trial observed at 71 %. With
    // the explored MACs 150 M to 466 M, only the 300 M cell and the trial set the colours: 70 to
    // 71; the 90 % corner is beyond the scale (arrow above), the 50 % cell below (arrow below).
    @Test func cubeColoursSpanTheExploredMACsNotTheExtrapolatedCorner() throws {
        let slice = CubeSlice(x: .resolution, y: .width, xLabel: "x", yLabel: "y", xValues: [1, 2, 3], yValues: [1],
                              fixed: [], mean: [[50, 70, 90]], standardDeviation: [[1, 1, 1]], macs: [[1e8, 3e8, 9e8]],
                              marks: [.init(number: 0, x: 2, y: 1, accuracy: 70.6, onSlice: true)])
        let plot = CubePlot(title: "t", slices: [slice], budgetMACs: 300_000_000, exploredMACs: 1.5e8...4.66e8)
        #expect(plot.colorDomain == 70...71)
        let svg = SVGInspector(plot.render())
        #expect(svg.count(class: "colorbar-extension") == 2)
        #expect(svg.count(class: "above") == 1 && svg.count(class: "below") == 1)
        // Without the explored region (as before), every cell sets the scale and nothing is clamped.
        let everything = CubePlot(title: "t", slices: [slice], budgetMACs: 300_000_000)
        #expect(everything.colorDomain == 50...90)
        #expect(SVGInspector(everything.render()).count(class: "colorbar-extension") == 0)
    }

    @Test func studyCubeExploresTheTrialsMACsAndTheBudget() throws {
        let (study, trials) = try Self.study()
        let plot = try StudyPlots.cube(study: study, trials: trials, x: .resolution, y: .width)
        let macs = trials.filter { $0.state == .complete }.map(\.macs) + [300_000_000]
        #expect(plot.exploredMACs == Double(macs.min() ?? 0)...Double(macs.max() ?? 0))
        let under = Study(id: 1, name: "under", settings: StudySettings(budget: Budget(macs: 100_000_000), targetTrials: 10,
                                                              seed: 0, evaluator: "stub"))
        let low = try StudyPlots.cube(study: under, trials: trials, x: .resolution, y: .width)
        #expect(low.exploredMACs?.lowerBound == 100_000_000)
    }

    @Test func cubeGridIncludesTheRecommendedTrialsSlice() throws {
        let (study, trials) = try Self.study()
        let complete = trials.filter { $0.state == .complete }
        let model = try StudyModel.fit(study: study, trials: complete)
        let recommended = try #require(StudyPlots.recommendedTrial(model: model, study: study, complete: complete))
        #expect(study.budget.admits(macs: recommended.macs, params: recommended.params))
        let plot = try StudyPlots.cube(study: study, trials: trials, x: .resolution, y: .width, grid: true)
        let point = study.space.nearestPoint(to: recommended.architecture)
        let through = plot.slices.filter { slice in
            slice.fixed.allSatisfy { fixed in
                let index = study.space.factors.firstIndex { $0.name == fixed.factor.name } ?? -1
                return study.space.grids[index][point[index]] == fixed.value
            }
        }
        #expect(through.count == 1)
        let svg = SVGInspector(plot.render())
        #expect(svg.count(class: "recommended-panel") == 1)
        #expect(svg.count(class: "recommended-mark") == 1)
        #expect(svg.count(class: "recommended-caption") == 1)
        #expect(CubeSlice.spread(7, 4, including: 1) == [0, 1, 4, 6])
        #expect(CubeSlice.spread(7, 4, including: 4) == [0, 2, 4, 6])
    }

    @Test func categoricalFactorIsDrawnAsOnePanelPerValue() throws {
        let (study, trials) = try Self.v1Study()
        let plot = try StudyPlots.cube(study: study, trials: trials, x: .width, y: try #require(CubeFactor(rawValue: "mv2-expansion")))
        #expect(plot.slices.count == 2)
        #expect(plot.slices.map(\.caption).allSatisfy { $0.contains("expansion ") })
        #expect(Set(plot.slices.map(\.caption)).count == 2)
        // Neither axis of any panel is the choice, so nothing is interpolated between 2 and 4.
        #expect(plot.slices.allSatisfy { $0.x == .width && $0.y == .resolution })
        let svg = SVGInspector(plot.render())
        #expect(svg.isWellFormed, "\(svg.parseError ?? "")")
        #expect(svg.count(class: "panel-caption") == 2)
        #expect(!svg.elements(class: "axis-label").map(\.text).contains("MV2 expansion ratio"))
        #expect(svg.elements(class: "note").first?.text == "MV2 expansion ratio is a choice: one panel per value, resolution up")
        // In a grid, the choice takes the rows: both values appear.
        let grid = try StudyPlots.cube(study: study, trials: trials, x: .resolution, y: .width, grid: true)
        #expect(Set(grid.slices.map { $0.fixed.first { $0.factor.argument == "mv2-expansion" }?.value }) == [2, 4])
    }

    @Test func anEightBitStudysPicturesTitleTheirAccuracyAxesInt8AndAFloatStudysDoNot() throws {
        let (floatStudy, trials) = try Self.study()
        var settings = floatStudy.settings
        settings.deploymentBits = 8
        let int8Study = Study(id: floatStudy.id, name: floatStudy.name, settings: settings)
        func pictures(_ study: Study) throws -> [String] {
            [try StudyPlots.pareto(study: study, trials: trials).render(),
             try StudyPlots.history(study: study, trials: trials).render(),
             try StudyPlots.front(study: study, trials: trials, curves: [:], x: .params, y: .accuracy).render(),
             try StudyPlots.cube(study: study, trials: trials, x: .resolution, y: .width).render()]
        }
        for svg in try pictures(int8Study) {
            #expect(svg.contains("int8 top-1"), "\(svg.prefix(300))")
        }
        for svg in try pictures(floatStudy) {
            #expect(svg.contains("top-1") && !svg.contains("int8"), "\(svg.prefix(300))")
        }
        // Learning curves are the float training's reports, whatever the study deploys.
        let curve = [EpochReport(epoch: 1, accuracy: 10), EpochReport(epoch: 2, accuracy: 20)]
        let withID = trials.enumerated().map { index, trial in var copy = trial; copy.id = Int64(index + 1); return copy }
        let curves = try StudyPlots.curves(study: int8Study, trials: withID, curves: [1: curve]).render()
        #expect(!curves.contains("int8"))
    }
}
