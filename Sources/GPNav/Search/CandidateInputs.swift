import Foundation

/// The encoded model inputs of a pool's candidates, each made once: every proposal scores
/// thousands of candidates, mostly the ones the proposal before it scored, and encoding an
/// architecture costs more than predicting at it from the posterior cache. Shared by copies of a
/// study's planner; safe for concurrent callers.
final class CandidateInputs: @unchecked Sendable {
    let encoding: FactorEncoding
    /// Every use of `rows` holds this lock.
    private let lock = NSLock()
    /// By position in the pool's admitted candidates; nil until first encoded.
    private var rows: [[Double]?]

    /// About how many bytes the encoded rows take.
    var approximateBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return rows.reduce(rows.count * 16) { $0 + ($1.map { $0.count * MemoryLayout<Double>.stride + 32 } ?? 0) }
    }

    init(pool: CandidatePool, encoding: FactorEncoding) {
        self.encoding = encoding
        rows = Array(repeating: nil, count: pool.admitted.count)
    }

    /// The encoded inputs of `candidates` (of the pool this was made for), in their order.
    func rows(for candidates: [Candidate]) -> [[Double]] {
        lock.withLock {
            candidates.map { candidate in
                guard rows.indices.contains(candidate.index) else { return encoding.encode(candidate.architecture) }
                if let row = rows[candidate.index] { return row }
                let row = encoding.encode(candidate.architecture)
                rows[candidate.index] = row
                return row
            }
        }
    }
}
