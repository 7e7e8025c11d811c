import ArgumentParser
import Foundation
import GPNav

/// `gpnav export`: one trial's architecture for a training framework.
struct ExportCommand: AsyncParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json
        case cvnetsYAML = "cvnets-yaml"
    }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a trial's architecture as JSON or as an ml-cvnets config fragment, or find its trained weights.",
        usage: "gpnav export --study <study> --trial <number> [<options>]",
        discussion: """
            json: study, trial, state, family, resolution, width, mv2_depths, vit_depths, classes, macs, \
            params, accuracy (snake_case; macs and params exact integers), and channel_plan: every \
            layer width a builder needs (gpnav_torch.build_model reads this document).

            cvnets-yaml (MobileViTv2 trials only): keys of ml-cvnets' MobileViTv2 config (model.classification.name, \
            model.classification.n_classes, model.classification.mitv2.width_multiplier, \
            sampler.bs.crop_size_width/height, image_augmentation.resize.size and center_crop.size) \
            to merge into config/classification/imagenet/mobilevit_v2.yaml. The per-stage depths, \
            which the stock mobilevit_v2 builder cannot change, are under gpnav.mv2_depths and \
            gpnav.vit_depths.

            --weights prints where the trial's trained weights are instead: the file \
            `python -m gpnav_torch.train` writes beside the trial's \
            {config}, <config>.weights.pt, in the configs directory beside the database \
            (<database>-configs) or the one --config-dir names (a worker's).

            Reads the database only.

            Examples:
              gpnav export --study macs-300M --trial 12 --format cvnets-yaml \\
                  --out trial12.yaml
              gpnav export --study macs-300M --trial 12 --format json
              cp "$(gpnav export --study macs-300M --trial 12 --weights)" best.pt
            """
    )

    @Option(help: "The trial's study.")
    var study: String

    @Option(help: ArgumentHelp("The trial's number within the study.", valueName: "number"), transform: ArgumentRange.count(0...Int.max))
    var trial: Int

    @Option(help: ArgumentHelp("Output format.", valueName: "json|cvnets-yaml"))
    var format: Format = .json

    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var out: String?

    @Flag(help: "Print the path of the trial's trained weights (<config>.weights.pt) instead.")
    var weights = false

    @Option(help: ArgumentHelp("Where the trial's config and weights are (default: <database>-configs beside the database).",
                               valueName: "directory"))
    var configDir: String?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if weights, out != nil {
            throw ValidationError("--weights prints the weights' path; copy the file with cp \"$(gpnav export ... --weights)\" DEST")
        }
        if configDir != nil, !weights { throw ValidationError("--config-dir needs --weights") }
    }

    func run() async throws {
        let store = try await database.openForReading()
        let trials = try await store.trials(TrialQuery(study: study))
        guard let found = trials.first(where: { $0.number == trial }) else {
            throw UnknownTrialNumber(study: study, number: trial, count: trials.count)
        }
        if weights {
            try exportWeights(of: found)
            return
        }
        let text = switch format {
        case .json: try JSONOutput.encode(ArchitectureExport.Document(found, study: study)) + "\n"
        case .cvnetsYAML: try ArchitectureExport.cvnetsYAML(found, study: study)
        }
        try OutputDestination.write(text, to: out)
    }

    /// Prints the path of `trial`'s weights.
    private func exportWeights(of trial: Trial) throws {
        let directory = configDir.map { URL(fileURLWithPath: $0) }
            ?? EvaluatorOptions.configDirectory(databasePath: database.configBasePath)
        let files = TrialFiles(directory: directory, study: study, trial: trial.number)
        let source: URL
        do {
            source = try files.existingWeights()
        } catch {
            throw MissingWeights(files: files, trial: trial, error: error)
        }
        try StandardStreams.writeOutput(source.path + "\n")
    }
}

/// A trial has no weights file where gpnav_torch.train writes it.
struct MissingWeights: UserFacingError {
    var files: TrialFiles
    var trial: Trial
    var error: TrialFilesError
    var kind: FailureKind { .notFound }
    var description: String {
        let state = trial.state == .complete ? "" : " (it is \(trial.state.rawValue); weights are written when a training completes)"
        return "trial \(trial.number) of study '\(files.study)': \(error)\(state); a training command that is not "
            + "gpnav_torch.train with its default --weights writes them elsewhere, and a worker's are in its own directory (--config-dir)"
    }
}

/// A study has no trial with the number asked for.
struct UnknownTrialNumber: UserFacingError {
    var study: String
    var number: Int
    var count: Int
    var kind: FailureKind { .notFound }
    var description: String {
        count == 0
            ? "study '\(study)' has no trials yet"
            : "study '\(study)' has no trial \(number); its trials are numbered 0 to \(count - 1) (see 'gpnav trials --study \(study)')"
    }
}
