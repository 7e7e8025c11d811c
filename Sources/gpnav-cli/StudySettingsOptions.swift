import ArgumentParser
import GPNav
import MobileViT

/// `--trials`, `--seed`, `--from`, `--step-factor`, `--no-joint-factors`, `--epochs`,
/// `--epoch-budget`, `--prune`: the flags that set a
/// study's settings, shared by `gpnav search` and `gpnav studies create`. They map onto
/// ``StudySettings`` and nothing more: the library checks the values (``StudySettings/validate()``),
/// as it checks the body of `POST /v1/studies`, so both refuse the same values in the same words.
/// A new setting is one flag here and one line in ``settings(space:budget:evaluator:)``.
struct StudySettingsOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Trials to reach, complete or pruned after training, \(StudySettings.targetTrialsRange.lowerBound) to \(StudySettings.targetTrialsRange.upperBound) "
            + "(default \(StudySettings.defaultTargetTrials), or no limit with --epoch-budget; a resumed study keeps its own).",
        valueName: "n"),
            transform: ArgumentRange.wholeNumber)
    var trials: Int?

    @Option(help: "Seed of every random choice (default \(StudySettings.defaultSeed)); the same seed with the simulator repeats a run exactly.")
    var seed: UInt64?

    @Option(help: ArgumentHelp("First model of the downsizing chain (default: the smallest preset above the budget).", valueName: "preset"))
    var from: String?

    @Option(help: ArgumentHelp("Factor by which each downsizing step shrinks MACs, in (0, 1) (default \(StudySettings.defaultStepFactor)).",
                               valueName: "f"),
            transform: ArgumentRange.anyNumber)
    var stepFactor: Double?

    @Flag(help: "Leave the joint factors resolution x depth and resolution x width out of the GP.")
    var noJointFactors = false

    @Option(help: ArgumentHelp(
        "Full training length in epochs, \(EpochReport.epochRange.lowerBound) to \(EpochReport.epochRange.upperBound): "
            + "the command gets it as {epochs}, GPNAV_EPOCHS and `epochs` in its config; the simulator reports a "
            + "learning curve of that many epochs (default: none).",
        valueName: "n"),
            transform: ArgumentRange.wholeNumber)
    var epochs: Int?

    @Option(help: ArgumentHelp(
        "Epochs the study may spend in all (needs --epochs); no trial starts whose full training would pass it. "
            + "Without --trials, it alone ends the study; on --resume it replaces the stored one.",
        valueName: "n"),
            transform: ArgumentRange.wholeNumber)
    var epochBudget: Int?

    @Flag(help: ArgumentHelp(
        "Stop a training early (SIGTERM, then SIGKILL) when, at a rung (3 and 9 of 27 epochs: E/9 times powers of 3), "
            + "the GP over its learning curve and the others' says it will not beat the study's best; the trial is kept "
            + "as pruned with its curve and counts toward --trials, as Optuna counts pruned trials (needs --epochs; not with --bits 8). "
            + "On the simulator, or with --evaluator-resumes, every rung is a pause instead, and a paused training may be continued later as the same trial."))
    var prune = false

    /// The settings the flags give, with `space`, `budget` and `evaluator` (nil: not given) and the
    /// defaults for the rest, and which settings were given.
    /// - Throws: `ArchitectureError` for an unknown preset.
    func settings(space: SearchSpace?, budget: Budget?, evaluator: String? = nil) throws
        -> (settings: StudySettings, given: Set<StudySettings.Key>) {
        var settings = StudySettings()
        var given: Set<StudySettings.Key> = []
        func set<Value>(_ key: StudySettings.Key, _ path: WritableKeyPath<StudySettings, Value>, _ value: Value?) {
            guard let value else { return }
            settings[keyPath: path] = value
            given.insert(key)
        }
        set(.space, \.space, space)
        set(.budget, \.budget, budget)
        set(.evaluator, \.evaluator, evaluator)
        // Without a target, an epoch budget alone ends a new study (a resumed one keeps its own target).
        settings.targetTrials = StudySettings.defaultTargetTrials(epochBudget: epochBudget)
        set(.targetTrials, \.targetTrials, trials)
        set(.seed, \.seed, seed)
        set(.stepFactor, \.stepFactor, stepFactor)
        set(.jointFactors, \.jointFactors, noJointFactors ? false : nil)
        set(.epochs, \.epochs, epochs.map { .some($0) })
        set(.epochBudget, \.epochBudget, epochBudget.map { .some($0) })
        set(.prune, \.prune, prune ? true : nil)
        // `.some(architecture)` inside: a preset given is a start model given; no --from is nothing given.
        let start: Architecture?? = try from.map { name throws(ArchitectureError) in .some(try Preset.named(name).architecture) }
        set(.start, \.start, start)
        return (settings, given)
    }
}
