import Foundation

/// Predictions of a fitted process, conditioned also on pending inputs, at query inputs seen
/// before, kept up to date as the data grows: the kriging believer of a study whose results
/// arrive one at a time and whose running trials come and go.
///
/// It keeps the Cholesky factor L of K(Z, Z) + (alpha + jitter) I over the conditioning inputs Z
/// (the process's training inputs and the pending ones, in the order they arrived; a pending
/// input that becomes a training input keeps its row, since K does not depend on the targets)
/// and, for every query input x seen, its whitened cross-covariance v = L^-1 k(Z, x) with v^T v.
/// Then (R&W Algorithm 2.1) var(x) = k(x, x) - v^T v and mean(x) = v^T L^-1 t, where t holds the
/// normalised targets, a pending input's being the process's own posterior mean there (mean
/// imputation: the pending inputs lower the variance and leave the mean as it is). A new
/// conditioning input adds one row to L (O(N^2)) and one entry to each column when it is next
/// queried (O(N)), instead of a new factorisation (O(N^3)) and a new solve per query (O(N^2)).
///
/// The answer is that of ``FittedGaussianProcess/conditioned(onAdditional:y:)`` at the pending
/// inputs' predicted means followed by ``FittedGaussianProcess/predict(_:includeNoise:)``, up to
/// rounding. Everything is rebuilt when the kernel, alpha or jitter change (new hyperparameters)
/// or a conditioning input goes away (a pending one that failed, a sample that dropped one).
/// Safe for concurrent callers (one lock); meant for one study's model.
public final class PosteriorCache: @unchecked Sendable {
    /// Every use of the state below holds this lock.
    private let lock = NSLock()
    private var factor: GrowingCholeskyFactor?
    /// Z, in the factor's order, and how often each input occurs in it.
    private var inputs: [[Double]] = []
    private var present: [[Double]: Int] = [:]
    private var slotOfQuery: [[Double]: Int] = [:]
    private var columns: [Column] = []
    /// What the last prediction conditioned on, and its weights L^-1 t: an ask predicts twice
    /// from the same data (the incumbent, then the candidates).
    private var last: (conditioning: Conditioning, weights: [Double])?

    private struct Conditioning: Equatable {
        var kernel: Kernel
        var diagonalExtra: Double
        var inputs: Matrix
        var targets: [Double]
        var pending: Matrix?
    }

    /// Cached entries (columns times N) beyond which the cached columns are dropped: 128 MB.
    static let entryBudget = 16_000_000
    /// New conditioning inputs beyond which the factor is made afresh at once rather than grown
    /// one row at a time (and the cached columns dropped): this many, or a third of those already
    /// factorised (k appended rows cost k N^2, a new factor N^3 / 3 and every column anew).
    static let appendLimit = 32

    /// One query input: its scaled point and v over the first `values.count` rows of Z.
    private struct Column {
        var point: [Double]
        var values: [Double]
        var sumOfSquares: Double
    }

    public init() {}

    /// About how many bytes the cache holds: the factor, the conditioning inputs and the cached
    /// columns (a few words of bookkeeping per entry included); for a caller that bounds memory.
    public var approximateBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        let word = MemoryLayout<Double>.stride
        let overhead = 64
        let inputBytes = inputs.reduce(0) { $0 + $1.count * word + overhead } * 2
        let columnBytes = columns.reduce(0) { $0 + ($1.point.count + $1.values.count) * word + 2 * overhead }
        let queryBytes = slotOfQuery.keys.reduce(0) { $0 + $1.count * word + overhead }
        return (factor?.approximateBytes ?? 0) + inputBytes + columnBytes + queryBytes + (last?.weights.count ?? 0) * word
    }

    /// Predictive mean and standard deviation of the latent function at the rows of `x`, in the
    /// targets' units, under `process` conditioned also on the rows of `pending` at their
    /// predicted means.
    /// - Returns: nil when this cache cannot answer: inputs of the wrong width or not finite, a
    ///   conditioning matrix that is not numerically positive definite with the process's jitter,
    ///   or a result that is not finite. The caller then computes the prediction in full, which
    ///   escalates jitter or reports the failure as it always does.
    public func predict(_ x: Matrix, process: FittedGaussianProcess, pending: Matrix? = nil) -> Prediction? {
        predict(rows: (0..<x.rows).map(x.row), process: process, pending: pending)
    }

    /// ``predict(_:process:pending:)`` at the query inputs given as rows (one point each).
    public func predict(rows queries: [[Double]], process: FittedGaussianProcess, pending: Matrix? = nil) -> Prediction? {
        let d = process.trainingInputs.columns
        // Its factor has one diagonal term for every input; per-point noise is computed in full.
        guard process.observationNoise == nil, queries.allSatisfy({ $0.count == d && $0.allSatisfy(\.isFinite) }),
              pending.map({ $0.columns == d && $0.isFinite }) ?? true else { return nil }
        lock.lock()
        defer { lock.unlock() }
        let conditioning = Conditioning(kernel: process.kernel, diagonalExtra: process.alpha + process.jitter,
                                        inputs: process.trainingInputs, targets: process.trainingTargets, pending: pending)
        let conditioned: GrowingCholeskyFactor
        let weights: [Double]
        if let last, last.conditioning == conditioning, let factor {
            (conditioned, weights) = (factor, last.weights)
        } else {
            self.last = nil
            let training = (0..<process.trainingInputs.rows).map(process.trainingInputs.row)
            let pendingRows = pending.map { p in (0..<p.rows).map(p.row) } ?? []
            guard let factor = condition(on: training + pendingRows, process: process),
                  let targets = normalisedTargets(training: training, pending: pending, pendingRows: pendingRows,
                                                  process: process)
            else { return nil }
            var solved: [Double] = []
            factor.extend(&solved) { targets[$0] }
            (conditioned, weights) = (factor, solved)
            self.last = (conditioning, solved)
        }
        addColumns(for: queries, factor: conditioned)
        let scale = process.targetScale
        let prior = process.kernel.signalVariance
        var mean = [Double](repeating: 0, count: queries.count)
        var deviation = [Double](repeating: 0, count: queries.count)
        for (index, query) in queries.enumerated() {
            guard let slot = slotOfQuery[query] else { return nil }
            let known = columns[slot].values.count
            if known < conditioned.count {
                let point = columns[slot].point
                conditioned.extend(&columns[slot].values) { conditioned.covariance($0, point) }
                columns[slot].sumOfSquares += columns[slot].values[known...].reduce(0) { $0 + $1 * $1 }
            }
            var normalisedMean = 0.0
            columns[slot].values.withUnsafeBufferPointer { v in
                weights.withUnsafeBufferPointer { w in
                    for i in 0..<conditioned.count { normalisedMean += v[i] * w[i] }
                }
            }
            mean[index] = normalisedMean * scale + process.targetMean
            deviation[index] = max(prior - columns[slot].sumOfSquares, 0).squareRoot() * scale
            guard mean[index].isFinite, deviation[index].isFinite else { return nil }
        }
        return Prediction(mean: mean, standardDeviation: deviation)
    }

    /// A new cache for `process` (its training inputs, no pending ones) with a column for every
    /// query input this cache holds: the work that new hyperparameters would otherwise cost the
    /// first prediction after them, done beforehand (by the background search that found them).
    public func prepared(for process: FittedGaussianProcess) -> PosteriorCache {
        lock.lock()
        let queries = Array(slotOfQuery.keys)
        lock.unlock()
        let fresh = PosteriorCache()
        fresh.lock.lock()
        defer { fresh.lock.unlock() }
        let training = (0..<process.trainingInputs.rows).map(process.trainingInputs.row)
        if let factor = fresh.condition(on: training, process: process) {
            fresh.addColumns(for: queries, factor: factor)
        }
        return fresh
    }

    /// Brings the factor to the multiset `rows` for the process's kernel, alpha and jitter:
    /// appends what is new, or starts again when something went away or the kernel changed.
    private func condition(on rows: [[Double]], process: FittedGaussianProcess) -> GrowingCholeskyFactor? {
        var wanted: [[Double]: Int] = [:]
        for row in rows { wanted[row, default: 0] += 1 }
        let extra = process.alpha + process.jitter
        let reusable = (factor.map { $0.kernel == process.kernel && $0.diagonalExtra == extra } ?? false)
            && present.allSatisfy { wanted[$0.key, default: 0] >= $0.value }
        if !reusable { reset(GrowingCholeskyFactor(kernel: process.kernel, diagonalExtra: extra)) }
        guard var grown = factor else { return nil }
        // Grown alone, so that its storage is not copied.
        factor = nil
        var unmatched = present
        var missing: [[Double]] = []
        for row in rows {
            if let left = unmatched[row], left > 0 { unmatched[row] = left - 1 } else { missing.append(row) }
        }
        if grown.count == 0 || missing.count > max(Self.appendLimit, grown.count / 3) {
            reset(grown)
            missing = rows
            guard grown.build(rows) else { return failed() }
        } else {
            for row in missing where !grown.append(row) { return failed() }
        }
        for row in missing { present[row, default: 0] += 1 }
        inputs += missing
        factor = grown
        return grown
    }

    /// The normalised targets in the factor's order: training targets, then the process's
    /// posterior means at the pending inputs (their kriging-believer values). Identical inputs
    /// may take one another's targets: the posterior does not change when they are swapped.
    private func normalisedTargets(training: [[Double]], pending: Matrix?, pendingRows: [[Double]],
                                   process: FittedGaussianProcess) -> [Double]? {
        var observed: [[Double]: [Double]] = [:]
        for (row, target) in zip(training, process.trainingTargets) {
            observed[row, default: []].append(process.normalisation.normalise(target))
        }
        var believed: [[Double]: [Double]] = [:]
        if let pending, pending.rows > 0 {
            let n = process.trainingInputs.rows
            let cross = process.kernel.crossCovariance(process.trainingInputs, pending).storage
            let means = LinearAlgebra.transposeTimes(cross, n: n, m: pending.rows, process.factor.weights)
            for (row, mean) in zip(pendingRows, means) { believed[row, default: []].append(mean) }
        }
        var targets: [Double] = []
        targets.reserveCapacity(inputs.count)
        for row in inputs {
            if let value = observed[row]?.popLast() {
                targets.append(value)
            } else if let value = believed[row]?.popLast() {
                targets.append(value)
            } else {
                return nil
            }
        }
        return targets.allSatisfy(\.isFinite) ? targets : nil
    }

    /// Makes a column for every query not cached yet, in blocks of one triangular solve each.
    private func addColumns(for queries: [[Double]], factor: GrowingCholeskyFactor) {
        var new: [[Double]] = []
        var seen = Set<[Double]>()
        for query in queries where slotOfQuery[query] == nil && seen.insert(query).inserted { new.append(query) }
        guard !new.isEmpty else { return }
        let n = factor.count
        if (columns.count + new.count) * n > Self.entryBudget {
            columns = []
            slotOfQuery = [:]
            seen = []
            new = queries.filter { seen.insert($0).inserted }
        }
        let block = max(1, Self.entryBudget / 4 / max(n, 1))
        var start = 0
        while start < new.count {
            let part = new[start..<min(start + block, new.count)]
            let points = part.map(factor.scaled)
            var b = [Double](repeating: 0, count: n * points.count)
            for (j, point) in points.enumerated() {
                for i in 0..<n { b[i + j * n] = factor.covariance(i, point) }
            }
            factor.solve(&b, columns: points.count)
            for (j, (query, point)) in zip(part, points).enumerated() {
                let values = Array(b[(j * n)..<((j + 1) * n)])
                slotOfQuery[query] = columns.count
                columns.append(Column(point: point, values: values, sumOfSquares: values.reduce(0) { $0 + $1 * $1 }))
            }
            start += block
        }
    }

    private func reset(_ empty: GrowingCholeskyFactor) {
        factor = GrowingCholeskyFactor(kernel: empty.kernel, diagonalExtra: empty.diagonalExtra)
        inputs = []
        present = [:]
        slotOfQuery = [:]
        columns = []
    }

    private func failed() -> GrowingCholeskyFactor? {
        factor = nil
        inputs = []
        present = [:]
        slotOfQuery = [:]
        columns = []
        return nil
    }
}
