import Foundation
import ArgumentParser
import GPNav
import MobileViT

/// The architecture flags shared by commands that describe one network: a family, a preset and
/// the global factors that override it.
struct ArchitectureOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Architecture family: \(FamilyNames.registered) (default: the --model's, else \(ArchitectureFamilies.standard.name)).",
        valueName: "name"))
    var family: String?

    @Option(name: .long, help: ArgumentHelp(
        "Start from a published model: \(Preset.all.map(\.name).joined(separator: ", ")) (default: the family's base network at its base resolution, width 1.0).",
        valueName: "name"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp(
        "Input resolution r in pixels: even, 32 to 1024 (default: the model's, else the family's base resolution: \(FamilyNames.baseResolutions)).",
        valueName: "r"))
    var resolution: Int?

    @Option(name: .long, help: ArgumentHelp("Width multiplier w, 0.125 to 4 (default 1.0).", valueName: "w"))
    var width: Double?

    @Option(name: .customLong("depths"), help: ArgumentHelp(
        "Blocks per stage of a depth group as [GROUP=]a,b,...; the group may be left out when the family has one. "
            + "Repeatable. Groups by family: \(FamilyNames.depthGroups).",
        valueName: "group=list"))
    var depthAssignments: [String] = []

    @Option(name: .customLong("mv2-depths"), help: ArgumentHelp(
        "MV2 blocks in stages 1 and 2, e.g. 1,2 (same as --depths mv2_depths=LIST).", valueName: "a,b"))
    var mv2Depths: String?

    @Option(name: .customLong("vit-depths"), help: ArgumentHelp(
        "Attention layers in stages 3, 4 and 5, e.g. 2,4,3 (same as --depths vit_depths=LIST).", valueName: "a,b,c"))
    var vitDepths: String?

    @Option(name: .customLong("depth-multiplier"), help: ArgumentHelp(
        "Scale every base depth by D: each stage gets max(1, round(base x D)), halves rounded away from zero.",
        valueName: "D"))
    var depthMultiplier: Double?

    @Option(name: .customLong("choice"), help: ArgumentHelp(
        "A categorical choice of the family as NAME=VALUE, e.g. expansion=2 or base_plan=xs. Repeatable. "
            + "Choices by family: \(FamilyNames.choices).",
        valueName: "name=value"))
    var choiceAssignments: [String] = []

    @Option(name: .long, help: ArgumentHelp("Classes of the classifier head (default 1000).", valueName: "k"))
    var classes: Int?

    /// The architecture these flags describe: the preset's factors (or the base network's), each
    /// replaced by the flag given for it.
    /// - Throws: ``ArchitectureOptionError`` for any input that does not describe a network of a
    ///   registered family.
    func architecture() throws(ArchitectureOptionError) -> Architecture {
        if depthMultiplier != nil, mv2Depths != nil || vitDepths != nil || !depthAssignments.isEmpty {
            throw .conflictingDepths
        }
        let named = try family.map { name throws(ArchitectureOptionError) in
            try Self.checked { () throws(ArchitectureError) in try ArchitectureFamilies.named(name) }
        }
        let base = try Self.checked { () throws(ArchitectureError) -> Architecture in
            if let model { return try Preset.named(model).architecture }
            return try (named ?? ArchitectureFamilies.standard).baseArchitecture()
        }
        if let named, let model, named.name != base.familyName {
            throw .familyMismatch(model: model, modelFamily: base.familyName, family: named.name)
        }
        let baseFamily = base.family
        var depths = Dictionary(uniqueKeysWithValues: zip(baseFamily.depthGroups.map(\.name), base.depthLists))
        var assignments = [("mv2_depths", mv2Depths, "--mv2-depths"), ("vit_depths", vitDepths, "--vit-depths")]
            .compactMap { name, text, flag in text.map { (name, $0, flag) } }
        for assignment in depthAssignments {
            let parts = assignment.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 {
                assignments.append((parts[0], parts[1], "--depths \(parts[0])"))
            } else if baseFamily.depthGroups.count == 1, let only = baseFamily.depthGroups.first {
                assignments.append((only.name, assignment, "--depths"))
            } else {
                throw .unnamedDepthGroup(assignment, groups: baseFamily.depthGroups.map(\.name))
            }
        }
        for (name, text, flag) in assignments {
            guard let group = baseFamily.depthGroups.first(where: { $0.name == name }) else {
                throw .architecture(.unknownPart(name, family: baseFamily.name))
            }
            depths[name] = try Self.depthList(text, flag: flag, stages: group.stages,
                                              example: group.base.map(String.init).joined(separator: ","))
        }
        if let depthMultiplier {
            for group in baseFamily.depthGroups {
                depths[group.name] = try Self.checked { () throws(ArchitectureError) in
                    try Architecture.scaledDepths(group.base, by: depthMultiplier)
                }
            }
        }
        var choices = Dictionary(uniqueKeysWithValues: zip(baseFamily.choices.map(\.name), base.choiceValues))
        for assignment in choiceAssignments {
            let parts = assignment.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let choice = baseFamily.choices.first(where: { $0.name == parts[0] }) else {
                throw .unknownChoice(assignment, family: baseFamily.name, choices: baseFamily.choices.map(\.name))
            }
            guard let value = choice.value(of: parts[1]) else {
                throw .architecture(.choiceLabel(name: choice.words, text: parts[1],
                                                 labels: choice.allowed.map { choice.text(of: $0) }))
            }
            choices[choice.name] = value
        }
        let (resolution, width, classes) = (resolution ?? base.resolution, width ?? base.width, classes ?? base.classes)
        return try Self.checked { () throws(ArchitectureError) in
            try Architecture(family: baseFamily, resolution: resolution, width: width, depths: depths, choices: choices,
                             classes: classes)
        }
    }

    private static func checked<T>(_ body: () throws(ArchitectureError) -> T) throws(ArchitectureOptionError) -> T {
        do {
            return try body()
        } catch {
            throw .architecture(error)
        }
    }

    /// Whole numbers separated by commas, exactly one per stage.
    static func depthList(_ text: String, flag: String, stages: String, example: String) throws(ArchitectureOptionError) -> [Int] {
        let fields = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var depths: [Int] = []
        for field in fields {
            guard let depth = NumberText.integer(field) else {
                throw .malformedDepths(flag: flag, text: text, stages: stages, example: example)
            }
            depths.append(depth)
        }
        let expected = example.split(separator: ",").count
        guard depths.count == expected else {
            throw .depthCount(flag: flag, expected: expected, got: depths.count, stages: stages)
        }
        return depths
    }
}

/// Why the architecture flags do not describe an architecture of the chosen family.
enum ArchitectureOptionError: UserFacingError {
    case architecture(ArchitectureError)
    case malformedDepths(flag: String, text: String, stages: String, example: String)
    case depthCount(flag: String, expected: Int, got: Int, stages: String)
    case conflictingDepths
    case unnamedDepthGroup(String, groups: [String])
    case familyMismatch(model: String, modelFamily: String, family: String)
    case unknownChoice(String, family: String, choices: [String])

    var kind: FailureKind {
        if case .architecture(.unknownPreset) = self { return .notFound }
        return .usage
    }

    var description: String {
        switch self {
        case .architecture(let error):
            error.description
        case .malformedDepths(let flag, let text, let stages, let example):
            "\(flag) '\(text)' is invalid: write whole numbers for \(stages) separated by commas, e.g. \(example)"
        case .depthCount(let flag, let expected, let got, let stages):
            "\(flag) needs \(expected) values (\(stages)), got \(got)"
        case .familyMismatch(let model, let modelFamily, let family):
            "--model \(model) is a \(modelFamily), not a \(family): drop --family or choose a \(family) model"
        case .conflictingDepths:
            "--depth-multiplier cannot be combined with per-stage depths: give one multiplier or per-stage depths"
        case .unknownChoice(let text, let family, let choices):
            choices.isEmpty
                ? "--choice '\(text)': family \(family) has no choices"
                : "--choice '\(text)' names no choice of family \(family): write NAME=VALUE with NAME one of \(choices.joined(separator: ", "))"
        case .unnamedDepthGroup(let text, let groups):
            "--depths '\(text)' names no depth group, and this family has several: write GROUP=LIST with GROUP one of \(groups.joined(separator: ", "))"
        }
    }
}
