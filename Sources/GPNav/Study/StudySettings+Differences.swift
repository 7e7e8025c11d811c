import MobileViT

extension StudySettings {
    /// Each setting by its JSON key: the keys of the settings' JSON, and what a caller says it
    /// gave when it gives only some (`gpnav search --resume --trials 50`).
    public enum Key: String, CodingKey, CaseIterable, Sendable {
        /// The space's family; only read when decoding (the space names its own family).
        case family
        case space
        case budget
        case targetTrials = "trials"
        case seed
        case stepFactor = "step_factor"
        case jointFactors = "joint_factors"
        case start
        case evaluator
        case epochs
        case epochBudget = "epoch_budget"
        case prune
        case latency
        /// ``StudySettings/deploymentBits``.
        case bits

        /// Every setting: what a caller gives when it gives a complete ``StudySettings``.
        public static let every = Set(allCases)
    }

    /// What differs between these settings and `stored`, among the settings in `keys`, in words,
    /// e.g. `step factor: stored 0.8, given 0.7` (empty: none). The evaluator is never a
    /// difference: the stored one is the study's record, the given one the one in use.
    public func differences(from stored: StudySettings, in keys: Set<Key>) -> [String] {
        var differences: [String] = []
        if keys.contains(.budget), budget != stored.budget {
            differences.append("budget: stored \(stored.budget.limitsText), given \(budget.limitsText)")
        }
        if keys.contains(.space) || keys.contains(.family), family != stored.family {
            differences.append("family: \(stored.family) stored, \(family) given")
        } else if keys.contains(.space), space != stored.space {
            differences.append("search space: the stored one differs from the one given")
        }
        if keys.contains(.seed), seed != stored.seed { differences.append("seed: stored \(stored.seed), given \(seed)") }
        if keys.contains(.stepFactor), stepFactor != stored.stepFactor {
            differences.append("step factor: stored \(stored.stepFactor), given \(stepFactor)")
        }
        if keys.contains(.jointFactors), jointFactors != stored.jointFactors {
            differences.append("joint factors: stored \(Self.onOff(stored.jointFactors)), given \(Self.onOff(jointFactors))")
        }
        if keys.contains(.start), start != stored.start {
            differences.append("start model: stored \(Self.startText(stored.start)), given \(Self.startText(start))")
        }
        if keys.contains(.epochs), epochs != stored.epochs {
            differences.append("epochs: stored \(Self.countText(stored.epochs)), given \(Self.countText(epochs))")
        }
        if keys.contains(.epochBudget), epochBudget != stored.epochBudget {
            differences.append("epoch budget: stored \(Self.countText(stored.epochBudget)), given \(Self.countText(epochBudget))")
        }
        if keys.contains(.prune), prune != stored.prune {
            differences.append("pruning: stored \(Self.onOff(stored.prune)), given \(Self.onOff(prune))")
        }
        if keys.contains(.bits), deploymentBits != stored.deploymentBits {
            let words = { (bits: Int?) in bits.map { "\($0)" } ?? "not set" }
            differences.append("deployment bits: stored \(words(stored.deploymentBits)), given \(words(deploymentBits))")
        }
        if keys.contains(.latency), latency != stored.latency {
            differences.append("latency budget: stored \(stored.latency?.text ?? "none"), given \(latency?.text ?? "none")")
        }
        if keys.contains(.targetTrials), targetTrials != stored.targetTrials {
            differences.append("target trials: stored \(stored.targetTrials), given \(targetTrials)")
        }
        return differences
    }

    /// The start model in words: its description, or `default`.
    static func startText(_ start: Architecture?) -> String {
        start.map { String(describing: $0) } ?? "default"
    }

    private static func countText(_ count: Int?) -> String { count.map(String.init) ?? "none" }

    private static func onOff(_ value: Bool) -> String { value ? "on" : "off" }
}
