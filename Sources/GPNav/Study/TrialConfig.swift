import MobileViT

/// The configuration a training run receives: the `{config}` JSON file of a training command and
/// the `config` of a served suggestion. Keys are snake_case: the architecture's own keys (for
/// MobileViTv2 `resolution`, `width`, `mv2_depths`, `vit_depths`, `classes`; other families add
/// `family` and their own), `macs`, `params`, `study`, `trial`, `epochs` (the study's full
/// training length, absent when it sets none), and `channel_plan`: every layer
/// width a builder needs (the family's plan, e.g. ``MobileViT/NetworkPlan``), so that no builder
/// re-implements a rounding rule.
public struct TrialConfig: Encodable, Sendable, Hashable {
    /// The architecture to build.
    public var architecture: Architecture
    /// Exact multiply-accumulates of the architecture.
    public var macs: Int
    /// Exact parameter count of the architecture.
    public var params: Int
    /// The study's name.
    public var study: String
    /// The trial's number within the study.
    public var trial: Int
    /// Every layer width of the architecture, from the walk that counts its MACs.
    public var channelPlan: ArchitecturePlan
    /// The study's full training length in epochs; nil when it sets none.
    public var epochs: Int?

    public init(architecture: Architecture, macs: Int, params: Int, study: String, trial: Int, epochs: Int? = nil) {
        self.architecture = architecture
        self.macs = macs
        self.params = params
        self.study = study
        self.trial = trial
        self.epochs = epochs
        channelPlan = CostModel.channelPlan(of: architecture)
    }

    /// The configuration of evaluation `request`.
    public init(_ request: EvaluationRequest) {
        self.init(architecture: request.architecture, macs: request.macs, params: request.params,
                  study: request.study, trial: request.trialNumber, epochs: request.epochs)
    }

    /// The configuration of stored `trial` of study `study`.
    public init(trial: Trial, study: String, epochs: Int? = nil) {
        self.init(architecture: trial.architecture, macs: trial.macs, params: trial.params,
                  study: study, trial: trial.number, epochs: epochs)
    }

    enum CodingKeys: String, CodingKey {
        case macs, params, study, trial, epochs, channelPlan = "channel_plan"
    }

    public func encode(to encoder: any Encoder) throws {
        try architecture.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(macs, forKey: .macs)
        try container.encode(params, forKey: .params)
        try container.encode(study, forKey: .study)
        try container.encode(trial, forKey: .trial)
        try container.encodeIfPresent(epochs, forKey: .epochs)
        try container.encode(channelPlan, forKey: .channelPlan)
    }
}
