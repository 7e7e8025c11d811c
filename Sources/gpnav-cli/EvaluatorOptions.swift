import ArgumentParser
import Foundation
import GPNav

/// How trials are scored: the training simulator (default) or a training command.
struct EvaluatorOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable { case stub, command }

    @Option(help: "stub (training simulator, the default) or command (needs --evaluator-command).")
    var evaluator: Kind?

    @Option(help: ArgumentHelp(
        "Training command run per trial through /bin/sh; {config}, {trial}, {study}, {seed}, {epochs} and {slot} are substituted. It must print a last JSON line like {\"accuracy\": 71.3}, and may print its learning curve before it, lines like {\"epoch\": 3, \"accuracy\": 41.2}.",
        valueName: "command"))
    var evaluatorCommand: String?

    @Option(help: ArgumentHelp("Seconds a training command may run before it and its children are killed (default 86400, at most 365 days).",
                               valueName: "seconds"),
            transform: ArgumentRange.seconds(positive: true))
    var evaluatorTimeout = Seconds(clamping: 86_400)

    @Option(help: ArgumentHelp("Standard deviation (points, 0 to 10) of the simulator's seeded training noise (default 0.15).",
                               valueName: "points"),
            transform: ArgumentRange.number(0...10, unit: " points"))
    var noise: Double = 0.15

    @Option(help: ArgumentHelp("GPU indices shared among the evaluation slots as CUDA_VISIBLE_DEVICES, e.g. 0,1,2,3: split evenly when there are at least as many as slots, else taken in turn.",
                               valueName: "list"))
    var gpus: String?

    @Flag(help: "The training command, run again for a trial it trained before, goes on from its own checkpoint (gpnav_torch.train does). With --prune a stopped training is then paused, and may be continued later instead of trained again.")
    var evaluatorResumes = false

    var kind: Kind { evaluator ?? (evaluatorCommand == nil ? .stub : .command) }

    func check() throws {
        if kind == .command, evaluatorCommand?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
            throw ValidationError("--evaluator command needs --evaluator-command 'TRAINING COMMAND'")
        }
        if kind == .stub, evaluatorCommand != nil {
            throw ValidationError("--evaluator-command needs --evaluator command (or no --evaluator)")
        }
        if kind == .stub, evaluatorResumes {
            throw ValidationError("--evaluator-resumes needs a training command (--evaluator-command); the simulator always resumes")
        }
        if kind == .stub, gpus != nil {
            throw ValidationError("--gpus needs a training command (--evaluator-command)")
        }
    }

    /// `--gpus` for `slots` evaluation slots; nil when not given.
    func deviceSlots(slots: Int) throws -> DeviceSlots? {
        guard let gpus else { return nil }
        do {
            return try DeviceSlots(parsing: gpus, slots: slots)
        } catch {
            throw ValidationError("--gpus: \(error.description)")
        }
    }

    /// Where training commands get their config files (and write their checkpoints and weights):
    /// beside the database, in `<database name>-configs`.
    static func configDirectory(databasePath: String) -> URL {
        let databaseURL = URL(fileURLWithPath: databasePath)
        return databaseURL.deletingLastPathComponent()
            .appendingPathComponent(databaseURL.deletingPathExtension().lastPathComponent + "-configs")
    }

    /// The evaluator; training commands get their config files beside the database.
    func makeEvaluator(seed: UInt64, databasePath: String, devices: DeviceSlots? = nil) -> any Evaluator {
        switch kind {
        case .stub:
            return TrainingSimulator(seed: seed, noise: noise)
        case .command:
            return CommandEvaluator(commandTemplate: evaluatorCommand ?? "", timeout: evaluatorTimeout.duration,
                                    configDirectory: Self.configDirectory(databasePath: databasePath), devices: devices,
                                    resumes: evaluatorResumes)
        }
    }
}
