import ArgumentParser
import GPNav
import MobileViT

/// `--space FILE.json`, and flags that override single axes of the search space's grid: one
/// `--factor NAME=GRID` per factor of the family (the family's factors name the flags), with
/// `--resolutions` and `--widths` for the two factors every family has.
struct SearchSpaceOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Architecture family to search: \(FamilyNames.registered) (default: the --space file's, else \(ArchitectureFamilies.standard.name)).",
        valueName: "name"))
    var family: String?

    @Option(help: ArgumentHelp(
        "Search space as JSON: family, classes and a grid per factor (\(FamilyNames.spaceKeys)).",
        valueName: "file"))
    var space: String?

    @Option(name: .customLong("factor"), help: ArgumentHelp(
        "One factor's grid as NAME=GRID, GRID being MIN:MAX:STEP or a list, e.g. depth=0.5:2:0.25; repeatable. "
            + "Factors by family: \(FamilyNames.factorArguments).",
        valueName: "name=grid"))
    var factorGrids: [String] = []

    @Option(help: ArgumentHelp("Resolutions to search: MIN:MAX:STEP or a list, e.g. 128:320:32 or 160,192,224.", valueName: "grid"))
    var resolutions: String?

    @Option(help: ArgumentHelp("Width multipliers to search: MIN:MAX:STEP or a list, e.g. 0.25:1.5:0.125.", valueName: "grid"))
    var widths: String?

    // Aliases of --factor kept from before families named their factors.
    @Option(help: ArgumentHelp("Same as --factor mv2-depth=GRID.", valueName: "grid", visibility: .hidden))
    var mv2DepthMultipliers: String?

    @Option(help: ArgumentHelp("Same as --factor vit-depth=GRID.", valueName: "grid", visibility: .hidden))
    var vitDepthMultipliers: String?

    @Option(help: ArgumentHelp("Same as --factor mv2-expansion=GRID.", valueName: "grid", visibility: .hidden))
    var mv2Expansions: String?

    @Option(help: ArgumentHelp(
        "Classes of every network's classifier head: the dataset's class count (default: the --space file's, else 1000).",
        valueName: "k"))
    var classes: Int?

    /// Whether any option here was given.
    var isEmpty: Bool {
        family == nil && space == nil && factorGrids.isEmpty && resolutions == nil && widths == nil && mv2DepthMultipliers == nil
            && vitDepthMultipliers == nil && mv2Expansions == nil && classes == nil
    }

    /// The space from `--space` (or the default) with the axis flags applied, validated.
    func searchSpace() throws -> SearchSpace {
        // The library's rule for a family and a space given together; the command line adds the advice.
        var result: SearchSpace
        do {
            result = try StudySettings.space(family: family, space: try space.map(SearchSpaceFile.load))
        } catch StudyError.familyDiffersFromSpace(let named, let spaceFamily) {
            throw ValidationError("--family \(named) differs from the family of --space (\(spaceFamily)): give one of them")
        }
        let flagged: [(factor: String, text: String?, flag: String)] = [
            ("resolution", resolutions, "--resolutions"), ("width", widths, "--widths"),
            ("mv2_depth", mv2DepthMultipliers, "--mv2-depth-multipliers"),
            ("vit_depth", vitDepthMultipliers, "--vit-depth-multipliers"),
            ("mv2_expansion", mv2Expansions, "--mv2-expansions"),
        ]
        var grids = flagged.compactMap { entry in entry.text.map { (entry.factor, $0, entry.flag) } }
        for assignment in factorGrids {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("--factor '\(assignment)': write NAME=GRID, e.g. width=0.25:1.5:0.125")
            }
            let name = String(assignment[..<equals]).trimmingCharacters(in: .whitespaces)
            grids.append((name, String(assignment[assignment.index(after: equals)...]), "--factor \(name)"))
        }
        for (name, text, flag) in grids {
            let values = try Self.grid(text, flag: flag)
            if let factor = result.factorIndex(name).map({ result.factors[$0] }), factor.isWholeNumber,
               let value = values.first(where: { $0 != $0.rounded() || abs($0) >= 1e6 }) {
                throw ValidationError("\(flag): \(value) is not a whole number (\(factor.words))")
            }
            try result.setGrid(name, values)
        }
        if let classes { result.classes = classes }
        try result.validate()
        return result
    }

    /// Values of `MIN:MAX:STEP` (MAX included when the steps land on it) or of a comma list, ascending.
    static func grid(_ text: String, flag: String) throws -> [Double] {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count == 3 {
            guard let low = NumberText.double(parts[0]), let high = NumberText.double(parts[1]), let step = NumberText.double(parts[2]),
                  low.isFinite, high.isFinite, step.isFinite, step > 0, low <= high
            else { throw ValidationError("\(flag) '\(text)': write MIN:MAX:STEP with MIN <= MAX and STEP > 0") }
            // Counted in Double first: (MAX - MIN) / STEP can exceed any Int.
            let steps = ((high - low) / step + 1e-9).rounded(.down)
            guard steps.isFinite, steps < 10_000 else { throw ValidationError("\(flag) '\(text)': more than 10000 values") }
            return (0...Int(steps)).map { low + Double($0) * step }
        }
        let values = try text.split(separator: ",").map { item -> Double in
            guard let value = NumberText.double(item), value.isFinite else {
                throw ValidationError("\(flag) '\(text)': '\(item)' is not a number (write MIN:MAX:STEP or a comma list)")
            }
            return value
        }
        guard !values.isEmpty else { throw ValidationError("\(flag): give at least one value") }
        return Array(Set(values)).sorted()
    }
}
