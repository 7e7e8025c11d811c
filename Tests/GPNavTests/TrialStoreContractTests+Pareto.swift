import Foundation
import GaussianProcess
import Testing
@testable import GPNav

extension TrialStoreContractTests {
    /// Random studies with many ties: whatever a backend narrows down where it keeps the trials,
    /// the front it gives equals the front of all complete trials found by brute force, in the
    /// same order, for one, two and three objectives, built-in or metric, per study or over all.
    @Test(arguments: StoreBackend.available)
    func paretoFrontFromTheStoreEqualsTheFrontOfAllTrials(backend: StoreBackend) async throws {
        for seed in UInt64(1)...4 {
            let (store, study, _) = try await backend.storeWithStudy()
            let other = try await store.createStudy(Fixtures.study("other"))
            var generator = SplitMix64(state: seed)
            var batch: [Trial] = []
            for index in 0..<150 {
                let states: [TrialState] = [.complete, .complete, .complete, .complete, .failed, .running]
                let state = states[Int.random(in: 0..<states.count, using: &generator)]
                // Small value sets, so that fronts have ties in one objective and equal points.
                let metrics: [String: Double] = Int.random(in: 0..<5, using: &generator) == 0
                    ? [:] : ["top5": Double(Int.random(in: 880...900, using: &generator)) / 10]
                batch.append(try Fixtures.trial(
                    studyID: try #require(index % 4 == 0 ? other.id : study.id), state: state,
                    macs: 50_000_000 * Int.random(in: 1...12, using: &generator),
                    params: 500_000 * Int.random(in: 1...12, using: &generator),
                    accuracy: Double(Int.random(in: 600...640, using: &generator)) / 10, metrics: metrics))
            }
            let all = try await store.addFinishedTrials(batch)
            for list in ["accuracy:max,macs:min", "macs:min,accuracy:max", "params:min,accuracy:max",
                         "accuracy:min,macs:max", "top5:max,macs:min", "accuracy:max,macs:min,params:min",
                         "accuracy:max"] {
                let objectives = try Objective.parseList(list)
                for name in [nil, study.name] {
                    let scope = all.filter { name == nil || $0.studyID == study.id }
                    let expected = Self.bruteForceFront(of: scope, objectives: objectives)
                    let front = try await ParetoFront.trials(in: store, study: name, objectives: objectives)
                    #expect(front.compactMap(\.id) == expected, "seed \(seed), \(list), study \(name ?? "all")")
                    let candidates = try await store.paretoCandidates(objectives, study: name).map(\.trialID)
                    #expect(candidates == candidates.sorted(), "candidates ordered by trial id")
                    #expect(Set(expected).isSubset(of: candidates), "seed \(seed), \(list): a front trial left out")
                }
            }
        }
    }

    /// The row ids of the front of `trials` by the definition: complete trials with every
    /// objective that no other such trial dominates, best first lexicographically, then by id.
    static func bruteForceFront(of trials: [Trial], objectives: [Objective]) -> [Int64] {
        func value(_ trial: Trial, _ objective: Objective) -> Double? {
            let raw: Double? = switch objective.name {
            case "accuracy": trial.accuracy
            case "macs": Double(trial.macs)
            case "params": Double(trial.params)
            default: trial.metrics[objective.name]
            }
            return raw.map { objective.direction == .max ? $0 : -$0 }
        }
        let points: [(id: Int64, gains: [Double])] = trials.compactMap { trial in
            guard trial.state == .complete, let id = trial.id else { return nil }
            let gains = objectives.compactMap { value(trial, $0) }
            return gains.count == objectives.count ? (id, gains) : nil
        }
        func dominates(_ a: [Double], _ b: [Double]) -> Bool {
            zip(a, b).allSatisfy { $0 >= $1 } && zip(a, b).contains { $0 > $1 }
        }
        let front = points.filter { point in !points.contains { dominates($0.gains, point.gains) } }
        return front.sorted { lhs, rhs in
            if let (x, y) = zip(lhs.gains, rhs.gains).first(where: { $0 != $1 }) { return x > y }
            return lhs.id < rhs.id
        }.map(\.id)
    }
}
