import Foundation
import MobileViT

/// The settings' JSON: the snake_case keys of ``StudySettings/Key``, every one written (a missing
/// start model as `null`), `family` beside the space. Reading is strict: a key that is no setting
/// (or no budget limit) is refused, naming it, and so is a value of the wrong type; a key that is
/// missing or `null` takes its default, and `family` alone picks that family's default space.
/// The same coding is the stored column, the body of `POST /v1/studies` and what a resume is
/// compared with, so a setting reads back exactly as it was written.
extension StudySettings: Codable {
    public init(from decoder: any Decoder) throws {
        try self.init(from: decoder, alsoAllowing: [])
    }

    /// Reads settings from an object that may hold other keys besides, named in `otherKeys` (the
    /// study's `name` in a create request); any other key is refused.
    /// - Throws: `DecodingError` for an unknown key or a value of the wrong type,
    ///   ``StudyError/familyDiffersFromSpace(family:spaceFamily:)``, `ArchitectureError` for an
    ///   unknown family.
    public init(from decoder: any Decoder, alsoAllowing otherKeys: Set<String>) throws {
        try Self.refuseUnknownKeys(in: decoder, known: Set(Key.allCases.map(\.stringValue)).union(otherKeys),
                                   what: "a setting of a study")
        let container = try decoder.container(keyedBy: Key.self)
        space = try Self.space(family: try container.decodeIfPresent(String.self, forKey: .family),
                               space: try container.decodeIfPresent(SearchSpace.self, forKey: .space))
        if container.contains(.budget), try !container.decodeNil(forKey: .budget) {
            let limits = try container.superDecoder(forKey: .budget)
            try Self.refuseUnknownKeys(in: limits, known: ["macs", "params", "memory_bytes", "bits"], what: "a budget limit")
            budget = try Budget(from: limits)
        } else {
            budget = Budget()
        }
        targetTrials = try container.decodeIfPresent(Int.self, forKey: .targetTrials) ?? Self.defaultTargetTrials
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? Self.defaultSeed
        stepFactor = try container.decodeIfPresent(Double.self, forKey: .stepFactor) ?? Self.defaultStepFactor
        jointFactors = try container.decodeIfPresent(Bool.self, forKey: .jointFactors) ?? Self.defaultJointFactors
        start = try container.decodeIfPresent(Architecture.self, forKey: .start)
        evaluator = try container.decodeIfPresent(String.self, forKey: .evaluator) ?? Self.defaultEvaluator
        epochs = try container.decodeIfPresent(Int.self, forKey: .epochs)
        epochBudget = try container.decodeIfPresent(Int.self, forKey: .epochBudget)
        prune = try container.decodeIfPresent(Bool.self, forKey: .prune) ?? false
        if container.contains(.latency), try !container.decodeNil(forKey: .latency) {
            let latencyBudget = try container.superDecoder(forKey: .latency)
            try Self.refuseUnknownKeys(in: latencyBudget, known: Set(LatencyBudget.CodingKeys.allCases.map(\.stringValue)),
                                       what: "a latency budget's setting")
            latency = try LatencyBudget(from: latencyBudget)
        }
        deploymentBits = try container.decodeIfPresent(Int.self, forKey: .bits)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(family, forKey: .family)
        try container.encode(space, forKey: .space)
        try container.encode(budget, forKey: .budget)
        try container.encode(targetTrials, forKey: .targetTrials)
        try container.encode(seed, forKey: .seed)
        try container.encode(stepFactor, forKey: .stepFactor)
        try container.encode(jointFactors, forKey: .jointFactors)
        try container.encode(start, forKey: .start)
        try container.encode(evaluator, forKey: .evaluator)
        try container.encode(epochs, forKey: .epochs)
        try container.encode(epochBudget, forKey: .epochBudget)
        try container.encode(prune, forKey: .prune)
        // Written only when set, so that a study without one reads as it did before latency budgets.
        try container.encodeIfPresent(latency, forKey: .latency)
        try container.encodeIfPresent(deploymentBits, forKey: .bits)
    }

    /// Refuses the first key (in sorted order) of the object `decoder` reads that is not in `known`.
    private static func refuseUnknownKeys(in decoder: any Decoder, known: Set<String>, what: String) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        guard let unknown = container.allKeys.map(\.stringValue).filter({ !known.contains($0) }).sorted().first else { return }
        throw DecodingError.dataCorruptedError(
            forKey: AnyKey(stringValue: unknown), in: container,
            debugDescription: "'\(unknown)' is not \(what) (known: \(known.sorted().joined(separator: ", ")))")
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
