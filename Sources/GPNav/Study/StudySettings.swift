import Foundation
import MobileViT

/// The search options a study keeps in ``Study/settings`` so that it is resumed (or served) exactly
/// as it was created: the step factor, the joint factors and the chain's start model.
struct StudySettings: Sendable, Hashable {
    var stepFactor: Double
    var jointFactors: Bool
    var start: Architecture?
    /// The full training length in epochs; nil when the study sets none.
    var epochs: Int?
    /// Epochs the study may spend in all; nil for no such limit.
    var epochBudget: Int?

    init(stepFactor: Double, jointFactors: Bool, start: Architecture?, epochs: Int? = nil, epochBudget: Int? = nil) {
        self.stepFactor = stepFactor
        self.jointFactors = jointFactors
        self.start = start
        self.epochs = epochs
        self.epochBudget = epochBudget
    }

    /// The settings stored with `study`; a key that is missing or unreadable (a study made by
    /// `import`, or by an older gpnav) reads as the default.
    init(study: Study) {
        let settings = study.settings
        stepFactor = settings["step_factor"].flatMap(Double.init) ?? 0.8
        jointFactors = settings["joint_factors"].flatMap(Bool.init) ?? true
        epochs = settings["epochs"].flatMap { Int($0) }
        epochBudget = settings["epoch_budget"].flatMap { Int($0) }
        if let json = settings["start_architecture"], let data = json.data(using: .utf8),
           let architecture = try? JSONDecoder().decode(Architecture.self, from: data) {
            start = architecture
        } else if let text = settings["start"], text != "default" {
            // Older studies kept only the start's description; the CLI only ever offered presets.
            start = Preset.all.first { String(describing: $0.architecture) == text }?.architecture
        } else {
            start = nil
        }
    }

    /// The start model as stored in the `start` key: its description, or `default`.
    static func startText(_ start: Architecture?) -> String {
        start.map { String(describing: $0) } ?? "default"
    }

    var startText: String { Self.startText(start) }

    /// The dictionary stored in ``Study/settings``.
    var stored: [String: String] {
        var settings = [
            "step_factor": String(stepFactor),
            "joint_factors": String(jointFactors),
            "start": startText,
        ]
        if let epochs { settings["epochs"] = String(epochs) }
        if let epochBudget { settings["epoch_budget"] = String(epochBudget) }
        if let start, let data = try? JSONEncoder().encode(start) {
            settings["start_architecture"] = String(decoding: data, as: UTF8.self)
        }
        return settings
    }
}
