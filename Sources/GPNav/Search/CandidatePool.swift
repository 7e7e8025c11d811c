import Foundation
import Synchronization
import MobileViT

/// An architecture of the space with its exact cost.
public struct Candidate: Sendable, Hashable {
    public var point: GridPoint
    public var architecture: Architecture
    public var cost: Cost
    /// Its position in the pool's ``CandidatePool/admitted``.
    public var index: Int
}

/// The grid points that meet the budgets, counted once per search.
///
/// MACs and parameters are exact, so the budgets are hard constraints: nothing outside them is
/// ever proposed. Proposals come from the points "near the budget" (using at least
/// ``nearFraction`` of some budget: accuracy rises with every factor, so much smaller models
/// are never the best use of a budget), thinned at random to at most ``maximumSize``, plus every
/// admitted neighbour of the best trial (one grid step along any axes: local moves).
public struct CandidatePool: Sendable {
    public let space: SearchSpace
    public let budget: Budget
    /// All admitted grid points, resolution-major.
    public let admitted: [Candidate]
    /// Smallest share of a budget a candidate uses to count as near it.
    public let nearFraction: Double
    /// Most candidates scored per proposal, local moves excluded.
    public let maximumSize: Int
    private let indexByPoint: [GridPoint: Int]

    /// About how many bytes one admitted candidate takes with its index entry (an architecture's
    /// depth arrays, its grid point and cost, the dictionary slot); an estimate for memory bounds.
    static let approximateBytesPerCandidate = 512

    public init(space: SearchSpace, budget: Budget, nearFraction: Double = 0.5, maximumSize: Int = 4000) {
        self.space = space
        self.budget = budget
        self.nearFraction = nearFraction
        self.maximumSize = maximumSize
        // Every grid point is built and counted (tens of thousands for a default space), in
        // slices on all cores; the slices are joined in grid order.
        let points = space.allPoints
        let sliceCount = min(points.count, 64)
        let slices = Mutex([[Candidate]](repeating: [], count: sliceCount))
        DispatchQueue.concurrentPerform(iterations: sliceCount) { slice in
            var found: [Candidate] = []
            for point in points[(slice * points.count / sliceCount)..<((slice + 1) * points.count / sliceCount)] {
                guard let architecture = try? space.architecture(at: point) else { continue }
                let cost = CostModel.cost(of: architecture)
                if budget.admits(macs: cost.macs, params: cost.params) {
                    found.append(Candidate(point: point, architecture: architecture, cost: cost, index: 0))
                }
            }
            slices.withLock { $0[slice] = found }
        }
        var admitted = slices.withLock { $0 }.flatMap { $0 }
        for index in admitted.indices { admitted[index].index = index }
        self.admitted = admitted
        indexByPoint = Dictionary(uniqueKeysWithValues: admitted.enumerated().map { ($0.element.point, $0.offset) })
    }

    /// How much of its tightest budget a cost uses (1 = exactly at a budget).
    public func budgetUse(_ cost: Cost) -> Double {
        var use = 0.0
        if let macs = budget.macs { use = max(use, Double(cost.macs) / Double(macs)) }
        if let params = budget.params { use = max(use, Double(cost.params) / Double(params)) }
        if let bytes = budget.memoryBytes {
            use = max(use, Double(Budget.weightBytes(params: cost.params, bits: budget.bits ?? 32)) / Double(bytes))
        }
        return use
    }

    /// Candidates for one proposal: near-budget points not yet taken that `admitting` lets through
    /// (a latency screen), thinned with `generator`, plus the untaken admitted neighbours of
    /// `incumbent`. When no near-budget point passes, every point that does is a candidate: under a
    /// latency budget tighter than the MACs budget, the best candidates are far below the latter.
    public func candidates<G: RandomNumberGenerator>(
        excluding taken: Set<Architecture>, around incumbent: Architecture?,
        admitting: (Architecture) -> Bool = { _ in true }, using generator: inout G
    ) -> [Candidate] {
        var near = admitted.filter {
            !taken.contains($0.architecture) && budgetUse($0.cost) >= nearFraction && admitting($0.architecture)
        }
        if near.isEmpty {
            near = admitted.filter { !taken.contains($0.architecture) && admitting($0.architecture) }
        }
        if near.count > maximumSize {
            near.shuffle(using: &generator)
            near = Array(near.prefix(maximumSize))
        }
        var chosen = Set(near.map(\.point))
        if let incumbent, let center = space.gridPoint(of: incumbent) {
            for neighbour in neighbours(of: center) where !chosen.contains(neighbour) {
                guard let index = indexByPoint[neighbour], !taken.contains(admitted[index].architecture),
                      admitting(admitted[index].architecture) else { continue }
                near.append(admitted[index])
                chosen.insert(neighbour)
            }
        }
        return near
    }

    /// Grid points differing from `center` by at most one index along each factor (3^k - 1 of
    /// them for k factors), the first factor's offset slowest.
    func neighbours(of center: GridPoint) -> [GridPoint] {
        let offsets = SearchSpace.product(Array(repeating: [-1, 0, 1], count: center.indices.count))
        var result: [GridPoint] = []
        for offset in offsets where offset.contains(where: { $0 != 0 }) {
            let point = GridPoint(zip(center.indices, offset).map { $0 + $1 })
            if space.factorIndices.allSatisfy({ point[$0] >= 0 && point[$0] < space.axisCount($0) }) {
                result.append(point)
            }
        }
        return result
    }
}
