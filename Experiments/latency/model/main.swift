// latency-model: how well gpnav's latency model (LatencyModel: a constant, per-stage MACs, output
// elements, inverted residuals, attention layers and parameters, fitted by robust relative non-negative least
// squares) predicts measured latencies it was not fitted to, against the measurements' own
// repeatability, and how honest the spread its predictions carry is.
//
//   swift build --product latency-model
//   .build/debug/latency-model A/latency.csv [B/latency.csv ...] [--time cpu|wall] [--fit first|repeated]
//                              [--splits 50] [--seed 1]
//
// Reads the CSVs that measure.py writes (two measurements per architecture; reread.py's sets add
// later readings, cpu_ms_3 and on, which join the best estimate below; several files are
// pooled, an architecture that appears twice keeps its first row), fits the model on N = 20, 40,
// 80 random architectures (first measurements) and predicts the rest. Two sets of readings:
// all, and those the spread rule kept (neither reading refused; a refused reading never reaches a
// device's store, so the model never sees one in use). Per set and N: the mean, min and max over
// the splits of the share of held-out architectures predicted within +/-10 % of their first
// measurement; the share within 1 and 2 of the prediction's spread (coverage: about 68 and 95 %
// if the spread is a standard deviation); then the repeatability (the share whose second
// measurement is within +/-10 % of the first), the leave-one-out share over all of them (what
// `gpnav latency fit` reports) and where the held-out misses at N = 40 fall.
//
// A single reading is itself a noisy estimate of the device's latency, so a second table judges
// the same held-out predictions against each architecture's best estimate from its readings:
// the median of its kept readings, as `search --latency` combines repeated readings
// (LatencyMeasurement.repeated: with two readings their mean; all readings when the spread rule
// refused every one), with its noise comparator, a single reading (the first) against that same
// estimate. `--fit first` (the default) fits on the first reading, what a user has after one
// measurement per architecture; `--fit repeated` fits on the repeated readings' median, what
// `search --latency` stores after reading again. Only the fitted architectures' readings are fitted.
import Foundation
import GaussianProcess
import GPNav
import MobileViT

struct Row {
    var architecture: Architecture
    var first: Double
    var second: Double
    var kept: Bool
    /// The best estimate of the architecture's latency from its readings (see the header).
    var estimate: Double
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
let fitOn = option("--fit", "first")
guard let splits = Int(option("--splits", "50")), splits > 0 else { fail("--splits must be a whole number above 0") }
guard let seed = UInt64(option("--seed", "1")) else { fail("--seed must be a whole number") }
guard !arguments.isEmpty, !arguments.contains(where: { $0.hasPrefix("--") }), ["cpu", "wall"].contains(time), ["first", "repeated"].contains(fitOn) else {
    fail("usage: latency-model LATENCY.csv [MORE.csv ...] [--time cpu|wall] [--fit first|repeated] [--splits 50] [--seed 1]")
}
let family = MobileViTv2Family()
let prefix = time == "cpu" ? "cpu_ms_" : "latency_ms_"
let target = LatencyTarget(device: "benchmark", runtime: "onnxruntime", threads: 1)

/// The readings' median as the library combines repeated readings: the kept ones, or both when
/// the spread rule refused both (such a row is still judged in the "all" set).
func estimate(architecture: Architecture, readings: [(latencyMs: Double, kept: Bool)]) -> Double {
    let kept = readings.filter(\.kept)
    let used = (kept.isEmpty ? readings : kept).map {
        LatencyMeasurement(target: target, architecture: architecture, latencyMs: $0.latencyMs, spreadMs: 0,
                           measuredAt: Date(timeIntervalSince1970: 0))
    }
    return LatencyMeasurement.repeated(used[0], Array(used.dropFirst())).latencyMs
}

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
    // Readings 1 and 2, then any later ones (reread.py adds cpu_ms_3, cpu_ms_4, ...); a set without
    // refused_K columns (reread.py's) has every reading kept.
    var readingColumns = [column(prefix + "1"), column(prefix + "2")]
    while let next = header.firstIndex(of: prefix + "\(readingColumns.count + 1)") { readingColumns.append(next) }
    let refusedColumns = readingColumns.indices.map { header.firstIndex(of: "refused_\($0 + 1)") }
    return records.dropFirst().map { record in
        let fields = record.fields
        func depths(_ index: Int) -> [Int] { fields[index].split(separator: " ").compactMap { Int($0) } }
        guard fields.count == header.count, let r = Int(fields[resolution]), let w = Double(fields[width]),
              case let readings = readingColumns.compactMap({ Double(fields[$0]) }).filter({ $0 > 0 }),
              readings.count == readingColumns.count,
              let architecture = try? Architecture(family: family, resolution: r, width: w,
                                                   depths: ["mv2_depths": depths(mv2), "vit_depths": depths(vit)])
        else { fail("\(path) line \(record.line) is not an architecture with \(readingColumns.count) measurements") }
        let keptEach = refusedColumns.map { column in column.map { fields[$0] == "0" } ?? true }
        return Row(architecture: architecture, first: readings[0], second: readings[1], kept: keptEach.allSatisfy { $0 },
                   estimate: estimate(architecture: architecture, readings: Array(zip(readings, keptEach))))
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
/// What the model is fitted on: per `--fit`, each fitted architecture's first reading or its readings' median.
func measurements(_ rows: some Sequence<Row>) -> [LatencyMeasurement] {
    rows.map { LatencyMeasurement(target: target, architecture: $0.architecture,
                                  latencyMs: fitOn == "first" ? $0.first : $0.estimate, spreadMs: 0,
                                  measuredAt: Date(timeIntervalSince1970: 0)) }
}
func percent(_ count: Int, of total: Int) -> Double { 100 * Double(count) / Double(max(1, total)) }
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

/// One held-out prediction of a split at N = 40: the row and the relative error against its first
/// reading and against its best estimate.
struct HeldOut {
    var row: Row
    var error: Double
    var estimateError: Double
}

/// How the held-out predictions of one set of readings at one N did against one reference.
struct Scores {
    var shares: [Double] = []
    var covered = (one: 0, two: 0, total: 0)

    mutating func add(_ prediction: LatencyPrediction, reference: Double) -> Bool {
        let miss = abs(prediction.latencyMs - reference)
        if miss <= prediction.spreadMs { covered.one += 1 }
        if miss <= 2 * prediction.spreadMs { covered.two += 1 }
        covered.total += 1
        return miss <= 0.1 * reference
    }

    func row(_ label: String, _ size: Int, heldOut: Int) -> String {
        String(format: "| %@ | %d | %d | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f %% |", label, size, heldOut,
               shares.reduce(0, +) / Double(max(1, shares.count)), shares.min() ?? 0, shares.max() ?? 0,
               percent(covered.one, of: covered.total), percent(covered.two, of: covered.total))
    }
}

print("\(rows.count) architectures (\(arguments.joined(separator: ", "))), \(time) time, fitted on the \(fitOn == "first" ? "first reading" : "readings' median"), \(splits) random splits (seed \(seed))")
var heldAtForty: [HeldOut] = []
var tables: (first: [String], estimate: [String]) = ([], [])
for (label, set) in [("all", rows), ("kept", rows.filter(\.kept))] {
    var generator = SplitMix64(seed: seed)
    for size in [20, 40, 80] where size < set.count {
        var first = Scores(), best = Scores()
        for _ in 0..<splits {
            let shuffled = set.shuffled(using: &generator)
            do {
                let model = try LatencyModel(family: family, target: target, measurements: measurements(shuffled.prefix(size)))
                var within = (first: 0, estimate: 0)
                for row in shuffled.dropFirst(size) {
                    let prediction = try model.predict(row.architecture)
                    if first.add(prediction, reference: row.first) { within.first += 1 }
                    if best.add(prediction, reference: row.estimate) { within.estimate += 1 }
                    if label == "all" && size == 40 {
                        heldAtForty.append(HeldOut(row: row, error: prediction.latencyMs / row.first - 1,
                                                   estimateError: prediction.latencyMs / row.estimate - 1))
                    }
                }
                first.shares.append(percent(within.first, of: set.count - size))
                best.shares.append(percent(within.estimate, of: set.count - size))
            } catch {
                fail("N = \(size): \(error)")
            }
        }
        tables.first.append(first.row(label, size, heldOut: set.count - size))
        tables.estimate.append(best.row(label, size, heldOut: set.count - size))
    }
}
for (title, lines) in [("Against the first reading:", tables.first),
                       ("Against the best estimate from the readings (their median; with an even count the mean of the middle two):", tables.estimate)] {
    print("")
    print(title)
    print("")
    print("| readings | N fitted | held out | within +/-10 %: mean | min | max | within 1 spread | within 2 spreads |")
    print("|---|---|---|---|---|---|---|---|")
    lines.forEach { print($0) }
}
print("")
for (label, set) in [("all", rows), ("kept", rows.filter(\.kept))] {
    let repeated = set.filter(\.repeats).count
    print(String(format: "Repeatability (%@ readings): second measurement within +/-10 %% of the first for %d of %d (%.1f %%).",
                 label, repeated, set.count, percent(repeated, of: set.count)))
    let single = set.filter { abs($0.first - $0.estimate) <= 0.1 * $0.estimate }.count
    print(String(format: "A single reading against the best estimate (%@ readings): the first within +/-10 %% of it for %d of %d (%.1f %%).",
                 label, single, set.count, percent(single, of: set.count)))
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
        let withinEstimate = inside.filter { abs($0.estimateError) <= 0.1 }.count
        let range = categorical ? format(lower) : upper.map { "\(format(lower))-\(format($0))" } ?? ">= \(format(lower))"
        cells.append(String(format: "%@: %d arch., %.0f %% within (%.0f %% of the estimate), median error %+.1f %% (%+.1f %%), repeat %.0f %%",
                            range, architectures, percent(within, of: inside.count), percent(withinEstimate, of: inside.count),
                            100 * median(inside.map(\.error)), 100 * median(inside.map(\.estimateError)),
                            percent(repeats.filter(\.repeats).count, of: repeats.count)))
    }
    print("- by \(name): " + cells.joined(separator: "; "))
}
print("")
print("Held-out predictions at N = 40 (all readings, every split), by band; against the first reading (and the best estimate):")
band("first measurement (ms)", \.first, [0, 2, 4, 8, 16]) { String(format: "%g", $0) }
band("resolution", \.architecture.resolution, [96, 160, 224, 288]) { "\($0)" }
band("width", \.architecture.width, [0.25, 0.5, 0.875, 1.25]) { String(format: "%g", $0) }
band("attention layers", \.attentionLayers, [3, 4, 6, 9, 13]) { "\($0)" }
band("own second reading", { $0.repeats ? 1 : 0 }, [0, 1], categorical: true) { $0 == 0 ? "moved > 10 %" : "repeated" }
band("spread rule", { $0.kept ? 1 : 0 }, [0, 1], categorical: true) { $0 == 0 ? "a reading refused" : "both kept" }
