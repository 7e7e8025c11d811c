import ArgumentParser
import Foundation
import GPNav

/// `gpnav export`: one trial's architecture for a training framework.
struct ExportCommand: AsyncParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json
        case cvnetsYAML = "cvnets-yaml"
        case onnx
    }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a trial's architecture as JSON, an ml-cvnets config fragment or an ONNX model, or find its trained weights.",
        usage: "gpnav export --study <study> --trial <number>|best [<options>]",
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

            onnx: the trial's network with its trained weights (those --weights finds; without them \
            the seeded random initial weights, and the summary says so), written by the Python side, \
            `<python> -m gpnav_torch.export`, which checks the file against PyTorch with ONNX Runtime. \
            --python names the interpreter (default python3, found on PATH as a training command's \
            is); it needs gpnav_torch with its deploy extra (pip install -e 'python/[deploy]'). \
            --out defaults to <study>-trial-<number>.onnx here. A one-line summary goes to stdout.

            --trial best is the complete trial within the study's budget with the highest \
            observed accuracy (the int8 accuracy in a --bits 8 study; the earlier one on ties); the search report may recommend another, \
            by the GP's mean.

            --weights prints where the trial's trained weights are instead: the file \
            `python -m gpnav_torch.train` writes beside the trial's \
            {config}, <config>.weights.pt, in the configs directory beside the database \
            (<database>-configs) or the one --config-dir names (a worker's).

            Reads the database only.

            Examples:
              gpnav export --study macs-300M --trial 12 --format cvnets-yaml \\
                  --out trial12.yaml
              gpnav export --study macs-300M --trial best --format json
              gpnav export --study macs-300M --trial best --format onnx --out best.onnx
              cp "$(gpnav export --study macs-300M --trial 12 --weights)" best.pt
            """
    )

    @Option(help: "The trial's study.")
    var study: String

    @Option(help: ArgumentHelp("The trial's number within the study, or best: the complete trial within the budget with the highest accuracy.",
                               valueName: "number|best"))
    var trial: TrialSelector

    @Option(help: ArgumentHelp("Output format.", valueName: "json|cvnets-yaml|onnx"))
    var format: Format = .json

    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var out: String?

    @Flag(help: "Print the path of the trial's trained weights (<config>.weights.pt) instead.")
    var weights = false

    @Option(help: ArgumentHelp("Where the trial's config and weights are (default: <database>-configs beside the database).",
                               valueName: "directory"))
    var configDir: String?

    @Option(help: ArgumentHelp("The Python interpreter that runs gpnav_torch.export, for --format onnx (default \(OnnxExporter.defaultPython)).",
                               valueName: "python"))
    var python: String?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if weights, out != nil {
            throw ValidationError("--weights prints the weights' path; copy the file with cp \"$(gpnav export ... --weights)\" DEST")
        }
        if configDir != nil, !weights, format != .onnx { throw ValidationError("--config-dir needs --weights or --format onnx") }
        if python != nil, format != .onnx { throw ValidationError("--python needs --format onnx") }
        if python?.isEmpty == true { throw ValidationError("--python needs an interpreter's path or name") }
    }

    func run() async throws {
        let store = try await database.openForReading()
        guard let stored = try await store.study(named: study) else {
            throw StoreError.unknownStudy(study, known: try await store.studies().map(\.name))
        }
        let found = try trial.trial(of: stored, trials: try await store.trials(TrialQuery(study: study)))
        if weights {
            try exportWeights(of: found)
            return
        }
        let text = switch format {
        case .json: try JSONOutput.encode(ArchitectureExport.Document(found, study: study)) + "\n"
        case .cvnetsYAML: try ArchitectureExport.cvnetsYAML(found, study: study)
        case .onnx: try await exportONNX(found)
        }
        guard format != .onnx else { return try StandardStreams.writeOutput(text) }
        try OutputDestination.write(text, to: out)
    }

    /// Where `trial`'s config and weights are.
    private func files(of trial: Trial) -> TrialFiles {
        let directory = configDir.map { URL(fileURLWithPath: $0) }
            ?? EvaluatorOptions.configDirectory(databasePath: database.configBasePath)
        return TrialFiles(directory: directory, study: study, trial: trial.number)
    }

    /// Writes `trial`'s ONNX model and returns the summary line.
    private func exportONNX(_ trial: Trial) async throws -> String {
        let output = URL(fileURLWithPath: out ?? Self.defaultONNXName(study: study, trial: trial.number))
        let report = try await OnnxExporter(python: python ?? OnnxExporter.defaultPython)
            .export(trial, study: study, files: files(of: trial), to: output)
        let weights = report.weights.map { "weights \($0)" }
            ?? "random initial weights (seed 0; no trained weights at \(files(of: trial).weights.path))"
        return "wrote \(report.path): trial \(trial.number) of study '\(TerminalText.escaped(study))', \(trial.architecture), "
            + "\(weights), opset \(report.opset), max |ONNX - PyTorch| \(String(format: "%.3g", report.maxAbsDiff)) "
            + "(limit \(String(format: "%.3g", report.limit)))\n"
    }

    /// `<study>-trial-<number>.onnx`, with the study's name made safe for a file name.
    static func defaultONNXName(study: String, trial: Int) -> String {
        "\(TrialFiles.fileSafe(study))-trial-\(trial).onnx"
    }

    /// Prints the path of `trial`'s weights.
    private func exportWeights(of trial: Trial) throws {
        let files = files(of: trial)
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
