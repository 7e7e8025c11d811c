/// Which accuracy a picture's accuracy axis holds: the float model's top-1, or, for a study
/// deployed at 8 bits (`--bits 8`), the int8 top-1 it ranks by (``StudySession/rankedTrials(of:in:)``
/// puts it in each trial's accuracy before drawing). Only the words on the picture change.
public enum PlottedAccuracy: Sendable, Equatable {
    case float, int8

    /// The accuracy `study`'s pictures draw.
    public init(study: Study) {
        self = study.settings.ranksByInt8Accuracy ? .int8 : .float
    }

    /// The metric's short name: `top-1` or `int8 top-1`.
    public var name: String {
        switch self {
        case .float: "top-1"
        case .int8: "int8 top-1"
        }
    }

    /// An accuracy axis's title: `top-1 accuracy (%)` or `int8 top-1 accuracy (%)`.
    public var axisTitle: String { "\(name) accuracy (%)" }
}
