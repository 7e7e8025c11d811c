// The paper's experiment in spirit, with the training SIMULATOR as ground truth (no real training):
//
//     Experiments/paper-spirit/run.sh        (= swift run paper-spirit --out Experiments/paper-spirit)
//
// 1. Sample 120 distinct grid points of the default cube (seeded), score each with the simulator
//    (noise 0.15 points), fit `AccuracyModel` (Matern 5/2 ARD over the four global factors and the
//    two joint factors).
// 2. Factor relevance: the fitted length scales (smaller = more relevant), and main-effect variance
//    shares of the GP mean over the whole grid: for factor j, Var_j(E[mu | f_j]) / Var(mu), with
//    the expectation over the other factors' grid values; the rest is interaction.
// 3. For budgets 100M ... 1.0G: the last model of `DownsizingEngine.chain(from:model:)` guided by
//    the fitted GP, against MobileViTv2 scaled by width alone at 256x256 (widest grid width within
//    budget), both scored by the simulator's noise-free accuracy.
// 4. Plots: the cube grid of the fitted model and accuracy against MACs for both families.
import Foundation
import GaussianProcess
import GPNav
import MobileViT

var outDirectory = "Experiments/paper-spirit"
var sampleCount = 120
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
    switch (flag, arguments.next()) {
    case ("--out", let value?): outDirectory = value
    case ("--samples", let value?): sampleCount = Int(value) ?? sampleCount
    default:
        FileHandle.standardError.write(Data("usage: paper-spirit [--out DIR] [--samples N]\n".utf8))
        exit(2)
    }
}

let space = SearchSpace.default
let simulator = TrainingSimulator(seed: 0, noise: 0.15)

// 1. Samples.
var generator = SplitMix64(seed: 20_251_121)
var chosen = Set<GridPoint>()
while chosen.count < sampleCount {
    chosen.insert(GridPoint(space.grids.map { Int.random(in: 0..<$0.count, using: &generator) }))
}
let points = chosen.sorted { $0.indices.lexicographicallyPrecedes($1.indices) }
var samples: [(number: Int, architecture: Architecture, accuracy: Double)] = []
for (number, point) in points.enumerated() {
    let architecture = try space.architecture(at: point)
    let cost = CostModel.cost(of: architecture)
    let request = EvaluationRequest(architecture: architecture, macs: cost.macs, params: cost.params,
                                    study: "paper-spirit", trialNumber: number)
    samples.append((number, architecture, try await simulator.evaluate(request).accuracy))
}
let encoding = FactorEncoding(space: space)
let model = try AccuracyModel.fit(samples.map { ($0.architecture, $0.accuracy) }, encoding: encoding, seed: 1)
let kernel = model.process.kernel

print("## Fitted GP (\(samples.count) simulated trainings)\n")
print("signal variance \(String(format: "%.3f", kernel.signalVariance)) (normalised targets), "
    + "noise variance \(String(format: "%.2e", kernel.noiseVariance ?? 0)), "
    + "log marginal likelihood \(String(format: "%.2f", model.process.logMarginalLikelihood))\n")

// 2. Relevance: main-effect variance shares of the GP mean over the full grid.
let grid = space.allPoints
let gridArchitectures = try grid.map { try space.architecture(at: $0) }
let gridMean = model.predict(gridArchitectures).mean
let overall = gridMean.reduce(0, +) / Double(gridMean.count)
let totalVariance = gridMean.map { ($0 - overall) * ($0 - overall) }.reduce(0, +) / Double(gridMean.count)
var shares: [Int: Double] = [:]
for factor in space.grids.indices {
    var sums = [Double](repeating: 0, count: space.grids[factor].count)
    var counts = [Double](repeating: 0, count: sums.count)
    for (point, mean) in zip(grid, gridMean) {
        sums[point[factor]] += mean
        counts[point[factor]] += 1
    }
    let conditional = zip(sums, counts).map { $0 / $1 }
    // Every grid value carries the same number of points, so the plain variance is the right one.
    let variance = conditional.map { ($0 - overall) * ($0 - overall) }.reduce(0, +) / Double(conditional.count)
    shares[factor] = variance / totalVariance
}
print("| GP input | length scale | main-effect share of the mean's variance |")
print("|---|---|---|")
let inputFactors: [Int?] = Array(space.grids.indices) + [nil, nil]
for (name, (scale, factor)) in zip(encoding.names, zip(kernel.lengthScales, inputFactors)) {
    let share = factor.flatMap { shares[$0] }.map { String(format: "%.3f", $0) } ?? "(joint factor)"
    print("| \(name) | \(String(format: "%.3f", scale)) | \(share) |")
}
let mainTotal = shares.values.reduce(0, +)
print("| interactions (1 - sum of main effects) | | \(String(format: "%.3f", 1 - mainTotal)) |\n")

// 3. Downsized models against width-only scaling.
let budgets = ["100M", "150M", "200M", "300M", "500M", "750M", "1.0G"]
let truth = TrainingSimulator(seed: 0, noise: 0)
func factors(_ a: Architecture) -> String {
    "r\(a.resolution) w\(SVGDocument.number(a.width, decimals: 4)) mv2 \(a.mv2Depths.map(String.init).joined(separator: ",")) "
        + "vit \(a.vitDepths.map(String.init).joined(separator: ","))"
}
print("| budget | downsized model (GP-guided) | MACs | accuracy | width-only at 256 | MACs | accuracy | difference |")
print("|---|---|---|---|---|---|---|---|")
var downsized: [AccuracyMACsPlot.Point] = []
var widthOnly: [AccuracyMACsPlot.Point] = []
for text in budgets {
    let macsBudget = try Quantity.parseCount(text)
    let engine = DownsizingEngine(space: space, budget: Budget(macs: macsBudget))
    guard let last = try engine.chain(from: try engine.defaultStart(), model: model).last else { continue }
    let ours = truth.noiseFreeAccuracy(last.architecture)
    downsized.append(.init(macs: last.cost.macs, accuracy: ours))
    let official = (space.grid("width") ?? []).reversed().lazy.compactMap { width -> Architecture? in
        guard let a = try? Architecture(resolution: 256, width: width), CostModel.cost(of: a).macs <= macsBudget else { return nil }
        return a
    }.first
    var row = "| \(text) | \(factors(last.architecture)) | \(Quantity.formatCount(last.cost.macs)) | \(String(format: "%.2f", ours)) |"
    if let official {
        let macs = CostModel.cost(of: official).macs
        let theirs = truth.noiseFreeAccuracy(official)
        widthOnly.append(.init(macs: macs, accuracy: theirs))
        row += " w\(SVGDocument.number(official.width, decimals: 4)) | \(Quantity.formatCount(macs)) | \(String(format: "%.2f", theirs)) | \(String(format: "%+.2f", ours - theirs)) |"
    } else {
        row += " none in the grid fits | - | - | - |"
    }
    print(row)
}

// 4. Plots.
let best = samples.max { $0.accuracy < $1.accuracy }.map { space.nearestPoint(to: $0.architecture) }
    ?? GridPoint(space.grids.map { _ in 0 })
let panels = CubeSlice.grid(model: model, space: space, x: 0, y: 1, base: best, observations: samples)
let cube = CubePlot(title: "GP fitted to \(samples.count) random points of the default cube (simulated accuracy)",
                    slices: panels.slices, columns: panels.columns, budgetMACs: 300_000_000)
let families = AccuracyMACsPlot(
    title: "Downsized vs width-only MobileViTv2 (simulated, noise-free)",
    series: [
        .init(name: "random samples (noisy)", points: samples.map { .init(macs: CostModel.cost(of: $0.architecture).macs, accuracy: $0.accuracy) },
              color: "#bdbdbd", size: 3, cssClass: "trial-mark"),
        .init(name: "width only at 256 px", points: widthOnly, shape: .square, color: "#d6604d", size: 4.5,
              connection: .straight, cssClass: "width-only"),
        .init(name: "GP-guided downsizing", points: downsized, color: "#2166ac", size: 4.5,
              connection: .straight, cssClass: "downsized"),
    ],
    budgetMACs: nil)
try cube.render().write(toFile: outDirectory + "/cube-grid.svg", atomically: true, encoding: .utf8)
try families.render().write(toFile: outDirectory + "/families.svg", atomically: true, encoding: .utf8)
print("\nwrote \(outDirectory)/cube-grid.svg and \(outDirectory)/families.svg")
