import Foundation

/// A family's channel plan of one architecture: every layer width a builder needs, as the JSON
/// `{config}`'s `channel_plan` and `gpnav macs --json` carry it.
///
/// The plan's own type belongs to its family (``NetworkPlan`` for MobileViTv2); this wrapper
/// encodes it as that type does and compares plans by their canonical text.
public struct ArchitecturePlan: Encodable, Sendable, Hashable {
    /// The family's plan value.
    public let value: any Encodable & Sendable
    /// The plan's JSON text with sorted keys: what equality and hashing compare.
    public let canonicalText: String

    /// Wraps a family's plan.
    public init<Plan: Encodable & Sendable>(_ plan: Plan) {
        value = plan
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A plan holds integers and strings only; encoding it cannot fail.
        canonicalText = (try? encoder.encode(plan)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }

    public static func == (lhs: ArchitecturePlan, rhs: ArchitecturePlan) -> Bool {
        lhs.canonicalText == rhs.canonicalText
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(canonicalText)
    }
}
