import GaussianProcess
import Testing
@testable import GPNav

@Suite("Relative latency fit")
struct RelativeLatencyFitTests {
    /// 40 rows of 4 terms drawn in [0.1, 1.1) (a constant first), and the latencies of known
    /// coefficients, one of them 0.
    static let known = [0.5, 2.0, 0.0, 1.0]
    static func rows() -> [[Double]] {
        var generator = SplitMix64(seed: 7)
        return (0..<40).map { _ in [1] + (0..<3).map { _ in 0.1 + Double.random(in: 0..<1, using: &generator) } }
    }

    @Test func exactLatenciesGiveBackTheCoefficientsThatMadeThem() throws {
        let rows = Self.rows()
        let latencies = rows.map { RelativeLatencyFit.dot(Self.known, $0) }
        let fit = try RelativeLatencyFit(rows: rows, latencies: latencies)
        for (found, truth) in zip(fit.coefficients, Self.known) { #expect(abs(found - truth) < 1e-9) }
        #expect(fit.weights.allSatisfy { $0 == 1 }, "no residual, so no reading is down-weighted")
    }

    @Test func aFewReadingsSlowedByAThirdBarelyMoveTheCoefficientsAndAreDownWeighted() throws {
        let rows = Self.rows()
        // +/-1 % noise on every reading, and every tenth reading 33 % slow (another process ran).
        let noise = [1.01, 0.99, 1.0, 1.005, 0.995]
        let latencies = rows.indices.map { i in
            RelativeLatencyFit.dot(Self.known, rows[i]) * noise[i % noise.count] * (i % 10 == 3 ? 1.33 : 1)
        }
        let fit = try RelativeLatencyFit(rows: rows, latencies: latencies)
        for (found, truth) in zip(fit.coefficients, Self.known) { #expect(abs(found - truth) < 0.03, "\(fit.coefficients)") }
        #expect(fit.coefficients.allSatisfy { $0 >= 0 })
        for i in rows.indices where i % 10 == 3 { #expect(fit.weights[i] < 0.2, "slow reading \(i): \(fit.weights[i])") }
        // A fit that gives every reading its full weight is pulled up by the slow ones.
        let plain = try RelativeLatencyFit(rows: rows, latencies: latencies, startingWeights: nil, steps: 0)
        let pulled = zip(plain.coefficients, Self.known).map { abs($0 - $1) }.max() ?? 0
        #expect(pulled > 0.05, "\(plain.coefficients)")
    }

    @Test func aLatencyThatIsNotAPositiveNumberIsRefusedNotFitted() {
        let rows = Self.rows()
        for bad in [0.0, -1.0, .nan, .infinity] {
            var latencies = rows.map { RelativeLatencyFit.dot(Self.known, $0) }
            latencies[5] = bad
            #expect(throws: LatencyModelError.self) { try RelativeLatencyFit(rows: rows, latencies: latencies) }
        }
    }
}
