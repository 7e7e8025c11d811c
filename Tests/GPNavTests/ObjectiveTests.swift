import Foundation
import GPNav
import Testing

struct ObjectiveTests {
    static func study(_ objectives: [String]) -> Study {
        Study(name: "s", settings: StudySettings(targetTrials: 1, evaluator: "x"), objectives: objectives)
    }

    @Test func knownNamesAreTheColumnsAndTheStoredMetrics() throws {
        let objectives = try Objective.parseList("latency_ms:min,accuracy:max,params:min")
        try Objective.checkKnown(objectives, metrics: ["latency_ms", "top5"])
        #expect(throws: ObjectiveError.unknown("latency_ms", valid: ["accuracy", "macs", "params", "top5"])) {
            try Objective.checkKnown(objectives, metrics: ["top5"])
        }
    }

    @Test func defaultsAreTheStudiesOwnWhenTheyAgree() throws {
        let own = Objective.defaults(for: [Self.study(["params:min", "accuracy:max"]), Self.study(["params:min", "accuracy:max"])])
        #expect(own.map(\.description) == ["params:min", "accuracy:max"])
        let mixed = Objective.defaults(for: [Self.study(["params:min"]), Self.study(["accuracy:max", "macs:min"])])
        #expect(mixed.map(\.description) == ["accuracy:max", "macs:min"])
        #expect(Objective.defaults(for: []).map(\.description) == ["accuracy:max", "macs:min"])
        #expect(Objective.defaults(for: [Self.study(["bad"])]).map(\.description) == ["accuracy:max", "macs:min"])
    }
}
