// latency-model: how well gpnav's latency model (LatencyModel: a constant, per-stage MACs, output
// elements, inverted residuals and attention layers, fitted by robust relative non-negative least
// squares) predicts measured latencies it was not fitted to, against the measurements' own
// repeatability, and how honest the spread its predictions carry is.
//
//   swift build --product latency-model
//   .build/debug/latency-model A/latency.csv [B/latency.csv ...] [--time cpu|wall] [--splits 50] [--seed 1]
//
// Reads the CSVs that measure.py writes (two measurements per architecture; several files are
// pooled, an architecture that appears twice keeps its first row), fits the model on N = 20, 40,
// 80 random architectures (first measurements) and predicts the rest. Two sets of readings:
// all, and those the spread rule kept (neither reading refused; a refused reading never reaches a
// device's store, so the model never sees one in use). Per set and N: the mean, min and max over
// the splits of the share of held-out architectures predicted within +/-10 % of their first
// measurement; the share within 1 and 2 of the prediction's spread (coverage: about 68 and 95 %
// if the spread is a standard deviation); then the repeatability (the share whose second
// measurement is within +/-10 % of the first), the leave-one-out share over all of them (what
// `gpnav latency fit` reports) and where the held-out misses at N = 40 fall.
import Foundation
import GaussianProcess
import GPNav
import MobileViT

struct Row {
    var architecture: Architecture
    var first: Double
    var second: Double
    var kept: Bool
    var attentionLayers: Int { architecture.depthLists[1].reduce(0, +) }
    var repeats: Bool { abs(second / first - 1) <= 0.1 }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("latency-model: \(message)\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String, _ fallback: String) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    let value = arguments[index + 1]
    arguments.removeSubrange(index...(index + 1))
    return value
}
let time = option("--time", "cpu")
guard let splits = Int(option("--splits", "50")), splits > 0 else { fail("--splits must be a whole number above 0") }
guard let seed = UInt64(option("--seed", "1")) else { fail("--seed must be a whole number") }
guard !arguments.isEmpty, !arguments.contains(where: { $0.hasPrefix("--") }), ["cpu", "wall"].contains(time) else {
    fail("usage: latency-model LATENCY.csv [MORE.csv ...] [--time cpu|wall] [--splits 50] [--seed 1]")
}
let family = MobileViTv2Family()
let prefix = time == "cpu" ? "cpu_ms_" : "latency_ms_"

@MainActor func readRows(_ path: String) -> [Row] {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { fail("cannot read \(path)") }
    let records: [CSV.Record]
    do { records = try CSV.parse(text) } catch { fail("\(path): \(error)") }
    guard let header = records.first?.fields else { fail("\(path) is empty") }
    func column(_ name: String) -> Int {
        guard let index = header.firstIndex(of: name) else { fail("\(path): no column \(name)") }
        return index
    }
    let resolution = column("resolution"), width = column("width"), mv2 = column("mv2_depths"), vit = column("vit_depths")
    let first = column(prefix + "1"), second = column(prefix + "2"), refused = (column("refused_1"), column("refused_2"))
    return records.dropFirst().map { record in
        let fields = record.fields
        func depths(_ index: Int) -> [Int] { fields[index].split(separator: " ").compactMap { Int($0) } }
        guard fields.count == header.count, let r = Int(fields[resolution]), let w = Double(fields[width]),
              let a = Double(fields[first]), let b = Double(fields[second]), a > 0, b > 0,
              let architecture = try? Architecture(family: family, resolution: r, width: w,
                                                   depths: ["mv2_depths": depths(mv2), "vit_depths": depths(vit)])
        else { fail("\(path) line \(record.line) is not an architecture with two measurements") }
        return Row(architecture: architecture, first: a, second: b, kept: fields[refused.0] == "0" && fields[refused.1] == "0")
    }
}

var rows: [Row] = []
var seen = Set<Architecture>()
for path in arguments {
    for row in readRows(path) where !seen.contains(row.architecture) {
        seen.insert(row.architecture)
        rows.append(row)
    }
}
let target = LatencyTarget(device: "benchmark", runtime: "onnxruntime", threads: 1)
func measurements(_ rows: some Sequence<Row>) -> [LatencyMeasurement] {
    rows.map { LatencyMeasurement(target: target, architecture: $0.architecture, latencyMs: $0.first, spreadMs: 0,
                                  measuredAt: Date(timeIntervalSince1970: 0)) }
}
func percent(_ count: Int, of total: Int) -> Double { 100 * Double(count) / Double(max(1, total)) }
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

/// One held-out prediction of a split at N = 40: the row and the relative error.
struct HeldOut {
    var row: Row
    var error: Double
}

print("\(rows.count) architectures (\(arguments.joined(separator: ", "))), \(time) time, \(splits) random splits (seed \(seed))")
print("")
print("| readings | N fitted | held out | within +/-10 %: mean | min | max | within 1 spread | within 2 spreads |")
print("|---|---|---|---|---|---|---|---|")
var heldAtForty: [HeldOut] = []
for (label, set) in [("all", rows), ("kept", rows.filter(\.kept))] {
    var generator = SplitMix64(seed: seed)
    for size in [20, 40, 80] where size < set.count {
        var shares: [Double] = []
        var covered = (one: 0, two: 0, total: 0)
        for _ in 0..<splits {
            let shuffled = set.shuffled(using: &generator)
            do {
                let model = try LatencyModel(family: family, target: target, measurements: measurements(shuffled.prefix(size)))
                var within = 0
                for row in shuffled.dropFirst(size) {
                    let prediction = try model.predict(row.architecture)
                    let miss = abs(prediction.latencyMs - row.first)
                    if miss <= 0.1 * row.first { within += 1 }
                    if miss <= prediction.spreadMs { covered.one += 1 }
                    if miss <= 2 * prediction.spreadMs { covered.two += 1 }
                    covered.total += 1
                    if label == "all" && size == 40 { heldAtForty.append(HeldOut(row: row, error: prediction.latencyMs / row.first - 1)) }
                }
                shares.append(percent(within, of: set.count - size))
            } catch {
                fail("N = \(size): \(error)")
            }
        }
        let mean = shares.reduce(0, +) / Double(shares.count)
        print(String(format: "| %@ | %d | %d | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f %% |", label, size, set.count - size, mean,
                     shares.min() ?? 0, shares.max() ?? 0, percent(covered.one, of: covered.total), percent(covered.two, of: covered.total)))
    }
}
print("")
for (label, set) in [("all", rows), ("kept", rows.filter(\.kept))] {
    let repeated = set.filter(\.repeats).count
    print(String(format: "Repeatability (%@ readings): second measurement within +/-10 %% of the first for %d of %d (%.1f %%).",
                 label, repeated, set.count, percent(repeated, of: set.count)))
    do {
        let model = try LatencyModel(family: family, target: target, measurements: measurements(set))
        print(String(format: "Leave-one-out over %d (%@): %d within +/-10 %% (%.1f %%), RMS relative error %.1f %%.",
                     model.accuracy.heldOut, label, model.accuracy.withinTenPercent, model.accuracy.percentWithinTenPercent,
                     100 * model.accuracy.rootMeanSquareRelativeError))
        print("Coefficients: " + zip(model.features.names, model.coefficients).map { "\($0) \(String(format: "%.4g", $1))" }
            .joined(separator: ", "))
    } catch {
        fail("\(label): \(error)")
    }
}

// Where the misses fall: the held-out predictions of every split at N = 40 (all readings), by band.
@MainActor func band<Value: Comparable>(_ name: String, _ value: (Row) -> Value, _ edges: [Value], categorical: Bool = false,
                             _ format: (Value) -> String) {
    var cells: [String] = []
    for (index, lower) in edges.enumerated() {
        let upper = index + 1 < edges.count ? edges[index + 1] : nil
        func contains(_ row: Row) -> Bool { value(row) >= lower && upper.map { value(row) < $0 } ?? true }
        let inside = heldAtForty.filter { contains($0.row) }
        guard !inside.isEmpty else { continue }
        let architectures = Set(inside.map(\.row.architecture)).count
        let repeats = rows.filter(contains)
        let within = inside.filter { abs($0.error) <= 0.1 }.count
        let range = categorical ? format(lower) : upper.map { "\(format(lower))-\(format($0))" } ?? ">= \(format(lower))"
        cells.append(String(format: "%@: %d arch., %.0f %% within, median error %+.1f %%, repeat %.0f %%", range, architectures,
                            percent(within, of: inside.count), 100 * median(inside.map(\.error)),
                            percent(repeats.filter(\.repeats).count, of: repeats.count)))
    }
    print("- by \(name): " + cells.joined(separator: "; "))
}
print("")
print("Held-out predictions at N = 40 (all readings, every split), by band:")
band("first measurement (ms)", \.first, [0, 2, 4, 8, 16]) { String(format: "%g", $0) }
band("resolution", \.architecture.resolution, [96, 160, 224, 288]) { "\($0)" }
band("width", \.architecture.width, [0.25, 0.5, 0.875, 1.25]) { String(format: "%g", $0) }
band("attention layers", \.attentionLayers, [3, 4, 6, 9, 13]) { "\($0)" }
band("own second reading", { $0.repeats ? 1 : 0 }, [0, 1], categorical: true) { $0 == 0 ? "moved > 10 %" : "repeated" }
band("spread rule", { $0.kept ? 1 : 0 }, [0, 1], categorical: true) { $0 == 0 ? "a reading refused" : "both kept" }
