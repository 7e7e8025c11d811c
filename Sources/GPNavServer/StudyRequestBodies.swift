import Foundation
import GPNav
import MobileViT

/// `POST /v1/studies`: what a new study is created with. Only `name`, `budget` and `trials` are
/// required; the rest take the defaults of `gpnav search`. `family` picks the architecture
/// family's default space when no `space` is given (a given space names its own family).
struct CreateStudyBody: Decodable {
    var name: String
    var budget: Budget
    var trials: Int
    var seed: UInt64?
    var family: String?
    var space: SearchSpace?
    var stepFactor: Double?
    var jointFactors: Bool?
    var start: Architecture?
    var evaluator: String?
    var epochs: Int?
    var epochBudget: Int?

    private enum CodingKeys: String, CodingKey {
        case name, budget, trials, seed, family, space, stepFactor = "step_factor", jointFactors = "joint_factors", start
        case evaluator, epochs, epochBudget = "epoch_budget"
    }

    /// The study spec; the space is checked here, the rest (the target of trials included) by the
    /// Study API.
    func spec() throws -> StudySpec {
        // Without a limit the library would only resume an existing study; a new one needs one.
        guard budget.hasLimit else { throw SearchError.noBudget }
        let named = try family.map { try ArchitectureFamilies.named($0) }
        let space = self.space ?? SearchSpace(family: named ?? ArchitectureFamilies.standard)
        if let named, named.name != space.familyName {
            throw SearchSpaceError(message: "family \(named.name) differs from the space's family \(space.familyName)")
        }
        try space.validate()
        return StudySpec(
            name: name, space: space, budget: budget, targetTrials: trials, seed: seed ?? 0,
            stepFactor: stepFactor ?? 0.8, jointFactors: jointFactors ?? true, start: start,
            evaluatorSummary: evaluator ?? "remote workers (gpnav serve)", epochs: epochs, epochBudget: epochBudget)
    }
}

/// `POST .../suggestions`: who asks, and for how many trials.
struct SuggestionBody: Decodable {
    var worker: String?
    var count: Int?
}

/// `POST .../complete`: the trial's accuracy (percent) and other numeric metrics.
struct CompleteBody: Decodable {
    var accuracy: Double
    var metrics: [String: Double]?
    var output: String?
}

/// `POST .../fail`: why the trial failed.
struct FailBody: Decodable {
    var reason: String?
    var output: String?
}
