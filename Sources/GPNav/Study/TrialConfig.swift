import MobileViT

/// The configuration a training run receives: the `{config}` JSON file of a training command and
/// the `config` of a served suggestion. Keys are snake_case: `resolution`, `width`, `mv2_depths`,
/// `vit_depths`, `classes`, `macs`, `params`, `study`, `trial`, and `channel_plan`: every layer
/// width a builder needs (``NetworkPlan``), so that no builder re-implements a rounding rule.
public struct TrialConfig: Codable, Sendable, Hashable {
    public var resolution: Int
    public var width: Double
    public var mv2Depths: [Int]
    public var vitDepths: [Int]
    public var classes: Int
    /// Exact multiply-accumulates of the architecture.
    public var macs: Int
    /// Exact parameter count of the architecture.
    public var params: Int
    /// The study's name.
    public var study: String
    /// The trial's number within the study.
    public var trial: Int
    /// Every layer width of the architecture, from the walk that counts its MACs.
    public var channelPlan: NetworkPlan

    public init(architecture: Architecture, macs: Int, params: Int, study: String, trial: Int) {
        resolution = architecture.resolution
        width = architecture.width
        mv2Depths = architecture.mv2Depths
        vitDepths = architecture.vitDepths
        classes = architecture.classes
        self.macs = macs
        self.params = params
        self.study = study
        self.trial = trial
        channelPlan = CostModel.plan(of: architecture)
    }

    /// The configuration of evaluation `request`.
    public init(_ request: EvaluationRequest) {
        self.init(architecture: request.architecture, macs: request.macs, params: request.params,
                  study: request.study, trial: request.trialNumber)
    }

    /// The configuration of stored `trial` of study `study`.
    public init(trial: Trial, study: String) {
        self.init(architecture: trial.architecture, macs: trial.macs, params: trial.params,
                  study: study, trial: trial.number)
    }

    enum CodingKeys: String, CodingKey {
        case resolution, width, mv2Depths = "mv2_depths", vitDepths = "vit_depths", classes, macs, params
        case study, trial, channelPlan = "channel_plan"
    }
}
