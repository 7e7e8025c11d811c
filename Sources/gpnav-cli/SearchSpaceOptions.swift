import ArgumentParser
import GPNav
import MobileViT

/// `--space FILE.json`, and flags that override single axes of the search space's grid.
struct SearchSpaceOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Architecture family to search: \(FamilyNames.registered) (default: the --space file's, else \(ArchitectureFamilies.standard.name)).",
        valueName: "name"))
    var family: String?

    @Option(help: ArgumentHelp(
        "Search space as JSON: family, classes and a grid per factor (\(FamilyNames.spaceKeys)).",
        valueName: "file"))
    var space: String?

    @Option(help: ArgumentHelp("Resolutions to search: MIN:MAX:STEP or a list, e.g. 128:320:32 or 160,192,224.", valueName: "grid"))
    var resolutions: String?

    @Option(help: ArgumentHelp("Width multipliers to search: MIN:MAX:STEP or a list, e.g. 0.25:1.5:0.125.", valueName: "grid"))
    var widths: String?

    @Option(help: ArgumentHelp("MV2 depth multipliers to search, e.g. 0.5,1,1.5.", valueName: "grid"))
    var mv2DepthMultipliers: String?

    @Option(help: ArgumentHelp("Attention depth multipliers to search, e.g. 0.5,0.75,1.", valueName: "grid"))
    var vitDepthMultipliers: String?

    @Option(help: ArgumentHelp("MV2 expansion ratios to search (mobilevit only), e.g. 2,4.", valueName: "grid"))
    var mv2Expansions: String?

    @Option(help: ArgumentHelp(
        "Classes of every network's classifier head: the dataset's class count (default: the --space file's, else 1000).",
        valueName: "k"))
    var classes: Int?

    /// Whether any option here was given.
    var isEmpty: Bool {
        family == nil && space == nil && resolutions == nil && widths == nil && mv2DepthMultipliers == nil && vitDepthMultipliers == nil
            && mv2Expansions == nil && classes == nil
    }

    /// The space from `--space` (or the default) with the axis flags applied, validated.
    func searchSpace() throws -> SearchSpace {
        let named = try family.map { try ArchitectureFamilies.named($0) }
        var result = try space.map(SearchSpaceFile.load) ?? SearchSpace(family: named ?? ArchitectureFamilies.standard)
        if let named, named.name != result.familyName {
            throw ValidationError("--family \(named.name) differs from the family of --space (\(result.familyName)): give one of them")
        }
        if let resolutions {
            try result.setGrid("resolution", try Self.grid(resolutions, flag: "--resolutions").map { value in
                guard value == value.rounded(), abs(value) < 1e6 else {
                    throw ValidationError("--resolutions: \(value) is not a whole number of pixels")
                }
                return value
            })
        }
        if let widths { try result.setGrid("width", try Self.grid(widths, flag: "--widths")) }
        if let mv2DepthMultipliers { try result.setGrid("mv2_depth", try Self.grid(mv2DepthMultipliers, flag: "--mv2-depth-multipliers")) }
        if let vitDepthMultipliers { try result.setGrid("vit_depth", try Self.grid(vitDepthMultipliers, flag: "--vit-depth-multipliers")) }
        if let mv2Expansions { try result.setGrid("mv2_expansion", try Self.grid(mv2Expansions, flag: "--mv2-expansions")) }
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
