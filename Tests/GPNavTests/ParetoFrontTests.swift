import GaussianProcess
import Testing
@testable import GPNav

@Suite("Pareto front")
struct ParetoFrontTests {
    /// The definition, checked pair by pair: O(n^2).
    static func bruteForce(_ points: [[Double]], _ directions: [Objective.Direction]) -> Set<Int> {
        func better(_ a: Double, _ b: Double, _ direction: Objective.Direction) -> Bool { direction == .max ? a > b : a < b }
        func dominates(_ a: [Double], _ b: [Double]) -> Bool {
            let noWorse = directions.indices.allSatisfy { !better(b[$0], a[$0], directions[$0]) }
            let someBetter = directions.indices.contains { better(a[$0], b[$0], directions[$0]) }
            return noWorse && someBetter
        }
        return Set(points.indices.filter { index in !points.indices.contains { dominates(points[$0], points[index]) } })
    }

    @Test(arguments: [1, 2, 3, 4])
    func matchesBruteForceOnRandomSetsWithTies(objectiveCount: Int) throws {
        var generator = SplitMix64(state: UInt64(objectiveCount))
        for trial in 0..<60 {
            let directions = (0..<objectiveCount).map { _ in Bool.random(using: &generator) ? Objective.Direction.max : .min }
            let count = Int.random(in: 0...80, using: &generator)
            // Few distinct values per coordinate, so ties and exact duplicates are common.
            let levels = trial.isMultiple(of: 2) ? 5 : 1000
            let points = (0..<count).map { _ in
                (0..<objectiveCount).map { _ in Double(Int.random(in: 0..<levels, using: &generator)) / 4 }
            }
            let front = try ParetoFront.indices(of: points, directions: directions)
            #expect(Set(front) == Self.bruteForce(points, directions), "set \(trial)")
            #expect(front.count == Set(front).count)
        }
    }

    @Test func handComputedTwoObjectiveFrontIsOrderedBestAccuracyFirst() throws {
        // (accuracy %, MACs in M): C dominates D (better accuracy, fewer MACs); A and B tie on
        // accuracy and A has fewer MACs; E is the cheapest.
        let points: [[Double]] = [
            [78.0, 300], // 0 B
            [78.0, 250], // 1 A
            [75.0, 150], // 2 C
            [74.0, 200], // 3 D
            [70.0, 100], // 4 E
            [75.0, 150], // 5 duplicate of C
        ]
        let front = try ParetoFront.indices(of: points, directions: [.max, .min])
        #expect(front == [1, 2, 5, 4])
    }

    @Test func singleObjectiveKeepsEveryPointWithTheBestValue() throws {
        #expect(try ParetoFront.indices(of: [[3], [5], [5], [1]], directions: [.max]) == [1, 2])
        #expect(try ParetoFront.indices(of: [[3], [5], [5], [1]], directions: [.min]) == [3])
        #expect(try ParetoFront.indices(of: [], directions: [.min]) == [])
    }

    @Test func threeObjectivesHandComputed() throws {
        // (accuracy max, MACs min, params min)
        let points: [[Double]] = [
            [80, 400, 6], // 0: best accuracy
            [78, 300, 5], // 1: trade-off
            [78, 300, 7], // 2: dominated by 1
            [70, 100, 8], // 3: cheapest MACs
            [70, 200, 2], // 4: fewest params
            [69, 200, 2], // 5: dominated by 4
        ]
        #expect(try ParetoFront.indices(of: points, directions: [.max, .min, .min]) == [0, 1, 3, 4])
    }

    @Test func tiesOnOneObjectiveAreDecidedByTheOther() throws {
        // Equal MACs: only the most accurate stays; equal accuracy: only the cheapest.
        let points: [[Double]] = [[70, 100], [72, 100], [72, 90], [72, 90]]
        #expect(try ParetoFront.indices(of: points, directions: [.max, .min]) == [2, 3])
    }

    @Test func badInputIsATypedError() {
        #expect(throws: ParetoError.nonFinite(index: 1)) {
            try ParetoFront.indices(of: [[1, 2], [.nan, 1]], directions: [.max, .min])
        }
        #expect(throws: ParetoError.wrongLength(index: 0, expected: 2, got: 1)) {
            try ParetoFront.indices(of: [[1]], directions: [.max, .min])
        }
        #expect(throws: ParetoError.noObjectives) { try ParetoFront.indices(of: [[1]], directions: []) }
    }

    @Test func objectiveListsParseAndRejectBadTerms() throws {
        let objectives = try Objective.parseList("accuracy:max, macs:min,top5:max")
        #expect(objectives.map(\.description) == ["accuracy:max", "macs:min", "top5:max"])
        #expect(objectives.map(\.isMetric) == [false, false, true])
        #expect(throws: ObjectiveError.empty) { try Objective.parseList("") }
        #expect(throws: ObjectiveError.malformed("accuracy")) { try Objective.parseList("accuracy") }
        #expect(throws: ObjectiveError.malformed("macs:least")) { try Objective.parseList("macs:least") }
        #expect(throws: ObjectiveError.badName("a\"b")) { try Objective.parseList("a\"b:max") }
        #expect(throws: ObjectiveError.duplicate("macs")) { try Objective.parseList("macs:min,macs:max") }
    }
}
