import GPNav
import MobileViT

extension Components.Schemas.CreateStudy {
    /// The study spec of a `POST /v1/studies` body: the one mapping from the wire to the library.
    /// Only `name`, `budget` and `trials` are required; the rest take the defaults of `gpnav
    /// search`. `family` picks the family's default space when no `space` is given (a given space
    /// names its own family). The space is checked here, the rest (the target of trials included)
    /// by the Study API.
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
            evaluatorSummary: evaluator ?? "remote workers (gpnav serve)")
    }
}
