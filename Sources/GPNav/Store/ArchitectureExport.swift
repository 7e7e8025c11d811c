import Foundation
import MobileViT

/// A trial's architecture in forms a training framework consumes.
public enum ArchitectureExport {
    /// The JSON document: the architecture's family (`family`) and fields in snake_case, the exact
    /// counts, the accuracy and the exact layer widths (`channel_plan`, the family's plan) a
    /// builder needs.
    public struct Document: Encodable, Sendable, Equatable {
        public var study: String
        public var trial: Int
        public var state: TrialState
        public var architecture: Architecture
        public var macs: Int
        public var params: Int
        public var accuracy: Double?

        public init(_ trial: Trial, study: String) {
            self.study = study
            self.trial = trial.number
            state = trial.state
            architecture = trial.architecture
            macs = trial.macs
            params = trial.params
            accuracy = trial.accuracy
        }

        private enum CodingKeys: String, CodingKey {
            case study, trial, state, family
            case macs, params, accuracy, channelPlan = "channel_plan"
        }

        public func encode(to encoder: any Encoder) throws {
            // The architecture writes its own keys (for MobileViTv2 resolution, width, mv2_depths,
            // vit_depths, classes).
            try architecture.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(study, forKey: .study)
            try container.encode(trial, forKey: .trial)
            try container.encode(state.rawValue, forKey: .state)
            try container.encode(architecture.familyName, forKey: .family)
            try container.encode(macs, forKey: .macs)
            try container.encode(params, forKey: .params)
            try container.encode(accuracy, forKey: .accuracy)
            try container.encode(CostModel.channelPlan(of: architecture), forKey: .channelPlan)
        }
    }

    /// The resize applied before the centre crop at evaluation: the stock ml-cvnets
    /// MobileViTv2 config resizes the shorter side to 288 for a 256 crop, i.e. 9/8 of the crop;
    /// the same ratio, rounded to whole pixels, is kept for other resolutions.
    public static func evaluationResize(forCrop crop: Int) -> Int { (crop * 9 + 4) / 8 }

    /// An ml-cvnets config fragment for `trial`, to merge into
    /// `config/classification/imagenet/mobilevit_v2.yaml`.
    ///
    /// Keys the stock `mobilevit_v2` model reads: `model.classification.name`,
    /// `model.classification.n_classes`, `model.classification.mitv2.width_multiplier`; the
    /// training resolution goes to the batch sampler (`sampler.bs.crop_size_width` and
    /// `crop_size_height`) and the evaluation resolution to `image_augmentation.center_crop.size`
    /// (after `image_augmentation.resize.size`, see ``evaluationResize(forCrop:)``). The stock
    /// builder fixes the depths at MV2 (1, 2) and attention (2, 4, 3) and has no key for them,
    /// so the per-stage depths are written under `gpnav.mv2_depths` and `gpnav.vit_depths`
    /// (ml-cvnets ignores keys it does not know), with a comment saying whether they differ.
    /// - Throws: ``ArchitectureExportError/noCvnetsConfig(family:)`` for a trial of another family
    ///   than MobileViTv2 (the fragment is of ml-cvnets' `mobilevit_v2` config).
    public static func cvnetsYAML(_ trial: Trial, study: String) throws(ArchitectureExportError) -> String {
        let a = trial.architecture
        guard a.familyName == MobileViTv2Family.name else { throw .noCvnetsConfig(family: a.familyName) }
        let list = { (depths: [Int]) in "[" + depths.map(String.init).joined(separator: ", ") + "]" }
        let stockDepths = a.mv2Depths == MobileViTv2Family.baseMV2Depths && a.vitDepths == MobileViTv2Family.baseViTDepths
        let accuracy = trial.accuracy.map { String($0) } ?? "null"
        var lines = [
            "# gpnav export: study \(quoted(study)), trial \(trial.number) (\(trial.state.rawValue)), \(a)",
            "# \(trial.macs) MACs, \(trial.params) parameters (published MobileViTv2 counting convention)",
            "# Merge into an ml-cvnets MobileViTv2 config such as config/classification/imagenet/mobilevit_v2.yaml.",
            "sampler:",
            "  bs:",
            "    crop_size_width: \(a.resolution)",
            "    crop_size_height: \(a.resolution)",
            "image_augmentation:",
            "  resize:",
            "    size: \(evaluationResize(forCrop: a.resolution))  # shorter side at evaluation, 9/8 of the crop as in the stock config",
            "  center_crop:",
            "    size: \(a.resolution)",
            "model:",
            "  classification:",
            "    name: \"mobilevit_v2\"",
            "    n_classes: \(a.classes)",
            "    mitv2:",
            "      width_multiplier: \(a.width)",
        ]
        lines += stockDepths
            ? ["# The depths are MobileViTv2's stock ones, which the mobilevit_v2 builder uses as is;",
               "# they are listed under gpnav for completeness."]
            : ["# The depths differ from MobileViTv2's stock MV2 (1, 2) and attention (2, 4, 3), which the",
               "# stock mobilevit_v2 builder cannot change: a modified builder must read gpnav.mv2_depths",
               "# (MV2 blocks of stages 1-2) and gpnav.vit_depths (attention layers of stages 3-5)."]
        lines += [
            "gpnav:",
            "  study: \(quoted(study))",
            "  trial: \(trial.number)",
            "  resolution: \(a.resolution)",
            "  width: \(a.width)",
            "  mv2_depths: \(list(a.mv2Depths))",
            "  vit_depths: \(list(a.vitDepths))",
            "  classes: \(a.classes)",
            "  macs: \(trial.macs)",
            "  params: \(trial.params)",
            "  accuracy: \(accuracy)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar: backslash and quote escaped, control characters (those
    /// ``TerminalText`` escapes, C1 and bidirectional overrides included) as \uXXXX.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case _ where TerminalText.needsEscaping(scalar):
                result += String(format: "\\u%04X", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// Why an architecture cannot be exported in a format.
public enum ArchitectureExportError: UserFacingError, Equatable {
    /// The ml-cvnets fragment is written for MobileViTv2 only.
    case noCvnetsConfig(family: String)

    public var kind: FailureKind { .usage }

    public var description: String {
        switch self {
        case .noCvnetsConfig(let family):
            "the ml-cvnets config fragment is written for mobilevitv2 architectures only, not \(family); export it as JSON"
        }
    }
}
