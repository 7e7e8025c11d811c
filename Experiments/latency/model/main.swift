// latency-model: how well gpnav's latency model (LatencyModel: non-negative least squares on a
// constant, per-stage MACs and output elements) predicts measured latencies it was not fitted to,
// against the measurements' own repeatability.
//
//   swift run -c release latency-model OUT/latency.csv [--time cpu|wall] [--splits 50] [--seed 1]
//
// Reads the CSV that measure.py writes (two measurements per architecture), fits the model on N
// = 20, 40, 80 random architectures (first measurements) and predicts the rest; prints, per N, the
// mean, min and max over the splits of the share of held-out architectures predicted within
// +/-10 % of their first measurement, then the leave-one-out share over all of them (what
// `gpnav latency fit` reports), and the repeatability: the share whose second measurement is
// within +/-10 % of the first.
import Foundation
import GaussianProcess
import GPNav
import MobileViT

struct Row {
    var architecture: Architecture
    var first: Double
    var second: Double
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
guard arguments.count == 1, ["cpu", "wall"].contains(time) else {
    fail("usage: latency-model LATENCY.csv [--time cpu|wall] [--splits 50] [--seed 1]")
}
let text: String
do { text = try String(contentsOfFile: arguments[0], encoding: .utf8) } catch { fail("cannot read \(arguments[0])") }
let records: [CSV.Record]
do { records = try CSV.parse(text) } catch { fail("\(arguments[0]): \(error)") }
guard let header = records.first?.fields else { fail("\(arguments[0]) is empty") }
@MainActor func column(_ name: String) -> Int {
    guard let index = header.firstIndex(of: name) else { fail("no column \(name)") }
    return index
}
let prefix = time == "cpu" ? "cpu_ms_" : "latency_ms_"
let columns = (column("resolution"), column("width"), column("mv2_depths"), column("vit_depths"),
               column(prefix + "1"), column(prefix + "2"))
let family = MobileViTv2Family()
var rows: [Row] = []
for record in records.dropFirst() {
    let fields = record.fields
    func depths(_ index: Int) -> [Int] { fields[index].split(separator: " ").compactMap { Int($0) } }
    guard let resolution = Int(fields[columns.0]), let width = Double(fields[columns.1]),
          let first = Double(fields[columns.4]), let second = Double(fields[columns.5]),
          let architecture = try? Architecture(family: family, resolution: resolution, width: width,
                                               depths: ["mv2_depths": depths(columns.2), "vit_depths": depths(columns.3)])
    else { fail("a row is not an architecture with two measurements: \(fields)") }
    rows.append(Row(architecture: architecture, first: first, second: second))
}
let target = LatencyTarget(device: "benchmark", runtime: "onnxruntime", threads: 1)
@MainActor func measurements(_ rows: ArraySlice<Row>) -> [LatencyMeasurement] {
    rows.map { LatencyMeasurement(target: target, architecture: $0.architecture, latencyMs: $0.first, spreadMs: 0,
                                  measuredAt: Date(timeIntervalSince1970: 0)) }
}
func percent(_ count: Int, of total: Int) -> Double { 100 * Double(count) / Double(max(1, total)) }

print("\(rows.count) architectures, \(time) time, \(splits) random splits (seed \(seed))")
print("")
print("| N fitted | held out | within +/-10 %: mean | min | max |")
print("|---|---|---|---|---|")
var generator = SplitMix64(seed: seed)
for size in [20, 40, 80] where size < rows.count {
    var shares: [Double] = []
    for _ in 0..<splits {
        let shuffled = rows.shuffled(using: &generator)
        do {
            let model = try LatencyModel(family: family, target: target, measurements: measurements(shuffled.prefix(size)))
            let held = shuffled.dropFirst(size)
            let within = try held.filter { abs(try model.predict($0.architecture).latencyMs / $0.first - 1) <= 0.1 }.count
            shares.append(percent(within, of: held.count))
        } catch {
            fail("N = \(size): \(error)")
        }
    }
    let mean = shares.reduce(0, +) / Double(shares.count)
    print(String(format: "| %d | %d | %.1f %% | %.1f %% | %.1f %% |", size, rows.count - size, mean,
                 shares.min() ?? 0, shares.max() ?? 0))
}
do {
    let all = try LatencyModel(family: family, target: target, measurements: measurements(rows[...]))
    print("")
    print(String(format: "Leave-one-out over all %d: %d within +/-10 %% (%.1f %%), RMS relative error %.1f %%.",
                 all.accuracy.heldOut, all.accuracy.withinTenPercent, all.accuracy.percentWithinTenPercent,
                 100 * all.accuracy.rootMeanSquareRelativeError))
    print("Coefficients: " + zip(all.features.names, all.coefficients).map { "\($0) \(String(format: "%.4g", $1))" }
        .joined(separator: ", "))
} catch {
    fail("all: \(error)")
}
let repeated = rows.filter { abs($0.second / $0.first - 1) <= 0.1 }.count
print(String(format: "Repeatability: second measurement within +/-10 %% of the first for %d of %d (%.1f %%).",
             repeated, rows.count, percent(repeated, of: rows.count)))
