import Foundation
@testable import GPNav
import MobileViT
import Testing

@Suite("SVG writer, axes, colours and contours")
struct PlotPrimitiveTests {
    @Test func textIsEscapedAndTheDocumentParsesBack() {
        var svg = SVGDocument(width: 100, height: 50)
        svg.text("a < b & \"c\" > 'd'", x: 1, y: 2, extra: [("class", "probe")])
        svg.circle(cx: .nan, cy: 1, r: 2, fill: "#000")  // non-finite: skipped, not written
        let inspector = SVGInspector(svg.render())
        #expect(inspector.isWellFormed, "\(inspector.parseError ?? "")")
        #expect(inspector.elements(class: "probe").first?.text == "a < b & \"c\" > 'd'")
        #expect(!inspector.elements.contains { $0.name == "circle" })
    }

    @Test(arguments: [(12.5, "12.5"), (3.0, "3"), (-0.001, "0"), (0.126, "0.13"), (-2.25, "-2.25")])
    func numbersHaveFixedPrecisionWithoutTrailingZeros(value: Double, expected: String) {
        #expect(SVGDocument.number(value) == expected)
    }

    // The fast writer against `String(format:)` (the C library's `%.Nf`) over values of every
    // magnitude a picture writes: equal, except where scaling by 10^N itself rounds onto a tie.
    @Test func numbersMatchTheCLibrarysFixedFormatButAtScaledTies() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var compared = 0
        for _ in 0..<20_000 {
            let magnitude = [1e-4, 0.01, 1, 100, 1e4, 1e7, 1e12][Int(next() * 7)]
            let value = (next() * 2 - 1) * magnitude
            let exactTie = (next() * 400).rounded() / 8 - 25  // multiples of 1/8: ties at two decimals
            for candidate in [value, exactTie] {
                for decimals in 0...4 {
                    var scale = 1.0
                    for _ in 0..<decimals { scale *= 10 }
                    let scaled = candidate.magnitude * scale
                    if abs(scaled - scaled.rounded(.down) - 0.5) < 1e-9 * max(1, scaled), candidate != exactTie { continue }
                    #expect(SVGDocument.number(candidate, decimals: decimals)
                            == SVGDocument.formattedNumber(candidate, decimals: decimals), "\(candidate) at \(decimals)")
                    compared += 1
                }
            }
        }
        #expect(compared > 150_000)
        #expect(SVGDocument.number(0.125) == "0.12" && SVGDocument.number(0.375) == "0.38")
        #expect(SVGDocument.number(-0.004) == "0" && SVGDocument.number(1e300) == SVGDocument.formattedNumber(1e300, decimals: 2))
    }

    // Nice steps are 1, 2 or 5 times a power of ten, the first at least the raw step.
    @Test func linearTicksAreNiceMultiples() {
        let axis = PlotAxis(scale: .linear, lower: 0, upper: 10, start: 0, end: 100)
        #expect(axis.ticks(target: 5).map(\.value) == [0, 2, 4, 6, 8, 10])
        let narrow = PlotAxis(scale: .linear, lower: 67.3, upper: 71.9, start: 0, end: 100)
        #expect(narrow.ticks(target: 5).map(\.label) == ["68", "69", "70", "71"])
        #expect(axis.pixel(2.5) == 25)
    }

    @Test func logTicksArePowersOfTenWithTwoAndFiveInBetween() {
        let axis = PlotAxis(scale: .log10, lower: 1.5e8, upper: 2.5e9, start: 0, end: 100)
        #expect(axis.ticks().map(\.value) == [2e8, 5e8, 1e9, 2e9])
        // log10(1e9 / 1e8) = 1 decade over 100 px.
        let decade = PlotAxis(scale: .log10, lower: 1e8, upper: 1e9, start: 0, end: 100)
        #expect(abs(decade.pixel(sqrt(10) * 1e8) - 50) < 1e-9)
    }

    // Viridis's published end colours, and luminance rising all the way (greyscale-safe).
    @Test func colourScaleIsViridisAndMonotoneInLuminance() {
        #expect(ColorScale.color(at: 0).hex == "#440154")
        #expect(ColorScale.color(at: 1).hex == "#fde725")
        let luminances = (0...200).map { ColorScale.color(at: Double($0) / 200).luminance }
        #expect(zip(luminances, luminances.dropFirst()).allSatisfy { $0 < $1 })
    }

    // f = x + y on the unit square: the 0.5 level runs from (0.5, 0) to (0, 0.5).
    @Test func contourOfAPlaneIsTheHandComputedSegment() {
        let segments = ContourLines.segments(xs: [0, 1], ys: [0, 1], values: [[0, 1], [1, 2]], level: 0.5)
        #expect(segments == [ContourLines.Segment(x0: 0.5, y0: 0, x1: 0, y1: 0.5)])
    }

    // Corners a=1, b=0, c=1, d=0 (mean 0.5 >= level 0.4, the side of a): a and c connect, so the
    // two segments cut off b and d.
    @Test func saddleIsResolvedByTheCentreValue() {
        let segments = ContourLines.segments(xs: [0, 1], ys: [0, 1], values: [[1, 0], [0, 1]], level: 0.4)
        #expect(segments.count == 2)
        #expect(segments.contains(ContourLines.Segment(x0: 0.6, y0: 0, x1: 1, y1: 0.4)))
        #expect(segments.contains(ContourLines.Segment(x0: 0.4, y0: 1, x1: 0, y1: 0.6)))
    }
}

@Suite("Study plots")
struct StudyPlotTests {
    /// A study with trials scored by the noise-free simulator: 10 complete (on a 2x5 patch of the
    /// resolution x width grid at base depths, plus two deeper ones), 1 failed.
    static func study() throws -> (Study, [Trial]) {
        let study = Study(id: 1, name: "synthetic", settings: StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 12,
                                                                  seed: 3, evaluator: "stub: training simulator"))
        let simulator = TrainingSimulator(seed: 0, noise: 0)
        var trials: [Trial] = []
        let shapes: [(Int, Double, Double)] = [(160, 0.5, 1), (160, 0.75, 1), (160, 1.0, 1), (160, 0.375, 1),
                                               (160, 1.25, 1), (224, 0.5, 1), (224, 0.75, 1), (224, 1.0, 1),
                                               (224, 0.5, 2), (192, 0.625, 1.5)]
        for (number, shape) in shapes.enumerated() {
            let architecture = try Architecture(resolution: shape.0, width: shape.1, mv2DepthMultiplier: shape.2,
                                                vitDepthMultiplier: shape.2)
            let cost = CostModel.cost(of: architecture)
            trials.append(Trial(studyID: 1, number: number, state: .complete, architecture: architecture,
                                macs: cost.macs, params: cost.params, accuracy: simulator.noiseFreeAccuracy(architecture),
                                proposal: Proposal(kind: .manual), startedAt: Date(timeIntervalSince1970: 0)))
        }
        let failed = try Architecture(resolution: 256, width: 2.0)
        trials.append(Trial(studyID: 1, number: 10, state: .failed, architecture: failed, macs: 7_000_000_000,
                            params: 18_000_000, proposal: Proposal(kind: .manual), error: "exit 1",
                            startedAt: Date(timeIntervalSince1970: 0)))
        return (study, trials)
    }

    @Test func paretoPlotShowsTrialsFrontBudgetAndPresets() throws {
        let (study, trials) = try Self.study()
        let plot = try StudyPlots.pareto(study: study, trials: trials)
        let svg = SVGInspector(plot.render())
        #expect(svg.isWellFormed, "\(svg.parseError ?? "")")
        #expect(svg.count(class: "trial-mark") == 10)
        #expect(svg.count(class: "front-line") == 1)
        #expect(svg.count(class: "budget-line") == 1)
        // Published models inside the study's MACs are drawn; the others are named at the edge.
        let interval = plot.macsInterval()
        let references = PublishedReferences.points(of: study.space.family)
        let inside = references.filter { Double($0.macs) >= interval.lower && Double($0.macs) <= interval.upper }
        #expect(svg.count(class: "reference-mark") == inside.count)
        #expect(svg.elements(class: "reference-mark-label").map(\.text) == inside.compactMap(\.label))
        #expect(svg.count(class: "reference-mark-offscale") == (inside.count < references.count ? 1 : 0))
        #expect(svg.elements(class: "axis-label").map(\.text) == ["multiply-accumulates per image (G MACs, log scale)",
                                                                  "top-1 accuracy (%)"])
        #expect(svg.count(class: "axis") > 4)
        #expect(svg.elements(class: "title").first?.text == "Accuracy against MACs: study synthetic (simulated accuracy)")
        // The front of accuracy max / MACs min over these trials, by ParetoFront itself.
        let complete = trials.filter { $0.state == .complete }
        let front = try ParetoFront.indices(of: complete.map { [$0.accuracy ?? 0, Double($0.macs)] }, directions: [.max, .min])
        #expect(svg.count(class: "front") == front.count)
    }

    @Test func historyPlotMarksEveryTrialAndTheBestSoFar() throws {
        let (study, trials) = try Self.study()
        let plot = try StudyPlots.history(study: study, trials: trials)
        let svg = SVGInspector(plot.render())
        #expect(svg.isWellFormed)
        #expect(svg.count(class: "trial-mark") == 10)
        #expect(svg.count(class: "failed-mark") == 1)
        #expect(svg.count(class: "best-so-far") == 1)
        #expect(svg.elements(class: "axis-label").map(\.text) == ["trial number", "top-1 accuracy (%)"])
        // Best within budget, by hand from the trials' own numbers.
        var best = -Double.infinity
        let expected = trials.sorted { $0.number < $1.number }.compactMap { trial -> Double? in
            if trial.state == .complete, trial.macs <= 300_000_000, let a = trial.accuracy { best = max(best, a) }
            return best.isFinite ? best : nil
        }
        #expect(plot.bestSoFar.map(\.accuracy) == expected)
    }

    @Test func cubePanelHasCellsContoursMarksAndColourBar() throws {
        let (study, trials) = try Self.study()
        let plot = try StudyPlots.cube(study: study, trials: trials, x: .resolution, y: .width)
        let svg = SVGInspector(plot.render())
        #expect(svg.isWellFormed, "\(svg.parseError ?? "")")
        let space = SearchSpace.default
        #expect(svg.count(class: "heat-cell") == space.resolutions.count * space.widths.count)
        #expect(svg.count(class: "trial-mark") == 10)
        // The best trial within budget fixes the depths at x1: 8 trials share them.
        #expect(svg.count(class: "on-slice") == 8)
        #expect(svg.count(class: "budget-line") == 1)
        #expect(svg.count(class: "colorbar") == 1)
        #expect(svg.elements(class: "colorbar-label").first?.text == "predicted top-1 (%)")
        #expect(svg.elements(class: "axis-label").map(\.text) == ["input resolution (px)", "width multiplier (x)"])
        #expect(svg.elements(class: "title").first?.text.hasSuffix("(simulated accuracy)") == true)
    }

    @Test func cubeGridHasOnePanelPerCombinationOfTheOtherFactors() throws {
        let (study, trials) = try Self.study()
        let plot = try StudyPlots.cube(study: study, trials: trials, x: .resolution, y: .width, grid: true)
        let svg = SVGInspector(plot.render())
        #expect(svg.isWellFormed)
        // MV2 depth has 6 values and attention depth 7: 4 evenly spaced of each.
        #expect(svg.count(class: "panel-caption") == 16)
        #expect(svg.count(class: "trial-mark") == 16 * 10)
        #expect(CubeSlice.spread(7, 4) == [0, 2, 4, 6])
        #expect(CubeSlice.spread(6, 4) == [0, 2, 3, 5])
    }

    @Test func fixedFactorsSnapToTheNearestGridValue() throws {
        let (study, trials) = try Self.study()
        let plot = try StudyPlots.cube(study: study, trials: trials, x: .resolution, y: .width,
                                       fixed: [.mv2Depth: 1.9, .vitDepth: 0.3])
        #expect(plot.slices.first?.caption == "MV2 x2, attention x0.25")
    }

    @Test func plotsWithoutDataAreClearErrors() throws {
        let (study, trials) = try Self.study()
        let failedOnly = trials.filter { $0.state == .failed }
        #expect(throws: PlotError.noCompleteTrials(study: "synthetic")) {
            try StudyPlots.pareto(study: study, trials: failedOnly)
        }
        #expect(throws: PlotError.tooFewTrials(study: "synthetic", count: 1)) {
            try StudyPlots.cube(study: study, trials: Array(trials.prefix(1)), x: .width, y: .resolution)
        }
        #expect(throws: PlotError.sameAxes("width")) {
            try StudyPlots.cube(study: study, trials: trials, x: .width, y: .width)
        }
    }
}
