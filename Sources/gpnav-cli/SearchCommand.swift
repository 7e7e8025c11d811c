import ArgumentParser
import Foundation
import GaussianProcess
import GPNav
import MobileViT

/// `gpnav search`: the main job.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find the most accurate \(FamilyNames.displayed) within a budget.",
        discussion: """
            Phase 1 evaluates the downsizing chain from a published model of the family (--family: \
            \(FamilyNames.registered)) down to the budget; \
            phase 2 fits a Gaussian process to every result and evaluates the architecture with the \
            largest expected improvement, until the study has --trials complete trials (pruned ones \
            count too, with --prune). Every trial \
            is stored as it starts and as it ends.

            The default evaluator is a training SIMULATOR (calibrated to each family's published \
            ImageNet-1k results), for demos and tests. Use --evaluator-command for real training.

            With --latency, each proposed architecture is measured on the device (--latency-command) \
            before it is trained; one over the budget, or within it by less than --latency-margin \
            spreads of its reading, is stored as pruned with its latency and never trained or \
            proposed again. Proposals are weighted by the probability that the device's latency \
            model admits them. Measurements are kept per device name and reused.

            Examples:
              gpnav search --macs 300M
              gpnav search --macs 200M --params 2M --trials 40 --seed 7
              gpnav search --family mobilevit --macs 300M --trials 12
              gpnav search --family mobilenetv2 --macs 150M --factor depth=0.5:2:0.5
              gpnav search --macs 300M --parallel 4 --gpus 0,1,2,3 \\
                  --evaluator-timeout 86400 \\
                  --evaluator-command 'python train.py --config {config}'
              gpnav search --macs 300M --resolutions 128:320:32 --widths 0.5:1.5:0.125
              gpnav search --study macs-300M --resume
              gpnav search --macs 300M --trials 40 --time-limit 8h \\
                  --evaluator-command 'python train.py --config {config}'
              gpnav search --macs 600M --latency 40ms --device-name edge-cpu \\
                  --latency-command 'python -m gpnav_torch.latency --config {config}'
              gpnav search --macs 300M --repeat-best 2 \\
                  --evaluator-command 'python train.py --config {config} --seed {seed}'
            """
    )

    @OptionGroup var budgetOptions: BudgetOptions

    @Option(help: "Study name (default: from the family and the budget, e.g. macs-300M or mobilevit-macs-300M).")
    var study: String?

    @Flag(help: "Continue the study (created if missing) up to its trial count, keeping its trials and settings.")
    var resume = false

    @Option(help: ArgumentHelp("Evaluations in flight at once, 1 to 1024 (default 1).", valueName: "n"), transform: ArgumentRange.count(1...1024))
    var parallel: Int = 1

    @Option(help: ArgumentHelp("Stop after this many failed trials in this run (default 10).", valueName: "n"), transform: ArgumentRange.count(1...1_000_000))
    var maxFailures: Int = 10

    @OptionGroup var settingsOptions: StudySettingsOptions

    @Option(help: ArgumentHelp("Once the study is done, retrain the recommended architecture with other seeds until it has n trainings beyond its first (seed 1, 2, ...: {seed} and GPNAV_SEED of --evaluator-command), and report their mean and spread; 0 to 100 (default 0).",
                               valueName: "n"),
            transform: ArgumentRange.count(0...100))
    var repeatBest: Int = 0

    @Option(name: .customLong("time-limit"),
            help: ArgumentHelp("Start no trial after this long, e.g. 90m, 2h or 1d (seconds without a unit), as Optuna's optimize(timeout=): the trials running then finish and are kept, the report says the search ended early, and --resume goes on. For this run only, not stored with the study.",
                               valueName: "time"),
            transform: ArgumentRange.span())
    var timeLimit: Seconds?

    @OptionGroup var spaceOptions: SearchSpaceOptions

    @OptionGroup var evaluatorOptions: EvaluatorOptions

    @OptionGroup var latencyOptions: LatencyOptions

    @Option(help: ArgumentHelp("Seconds without a heartbeat after which another process's running trial counts as abandoned (default 120).",
                               valueName: "seconds"),
            transform: ArgumentRange.seconds(positive: false))
    var staleAfter = Seconds(clamping: 120)

    @Option(help: "Output: table or json.")
    var format: ReportFormat = .table

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard !budgetOptions.isEmpty || (resume && study != nil) else {
            throw ValidationError("give a budget, e.g. --macs 300M (or --study NAME --resume)")
        }
        try evaluatorOptions.check()
        _ = try evaluatorOptions.deviceSlots(slots: parallel)
    }

    func run() async throws {
        // The study's GP fits are small; OpenBLAS's worker threads spin (sched_yield) between
        // them and took half the CPU of a --prune study (100M, 810 epochs: 28 s of system time
        // and 116 s wall with them, 0.2 s and 60 s without; Experiments/fidelity/RESULTS.md).
        OpenBLASCore.reexecuteWithOneThread()
        // Every input is read and checked before the database is opened (and perhaps created):
        // the flags given map onto the study's settings, and the library checks them.
        let requestedBudget = try budgetOptions.budget()
        let searchSpace = try spaceOptions.searchSpace()
        var (settings, given) = try settingsOptions.settings(space: spaceOptions.isEmpty ? nil : searchSpace,
                                                             budget: budgetOptions.isEmpty ? nil : requestedBudget)
        budgetOptions.applyDeploymentBits(to: &settings, given: &given)
        if let latency = latencyOptions.budget {
            settings.latency = latency
            given.insert(.latency)
        }
        // (A resumed study keeps its own space, so its budget is checked against that, later.)
        if resume { try settings.validate() } else { try settings.validateForNewStudy() }
        let studyName = study ?? settings.defaultStudyName
        try await database.checkStudyName(studyName)
        // Without a budget only an existing study can be resumed: never create the file for it.
        let store = budgetOptions.isEmpty
            ? try await database.openForWriting(create: false)
            : try await openStore(database, mode: .readWrite)
        // What is not given is the stored study's on --resume; what is given must match it (the
        // library's rule).
        var configuration = SearchConfiguration(
            studyName: studyName, settings: settings, given: resume ? given : StudySettings.Key.every,
            parallel: parallel, maxFailures: maxFailures, resume: resume, staleAfterSeconds: staleAfter.value)
        configuration.repeatBest = repeatBest
        configuration.timeLimit = timeLimit
        let evaluatorOptions = self.evaluatorOptions
        let databasePath = database.configBasePath
        let devices = try evaluatorOptions.deviceSlots(slots: parallel)
        let renderer = ProgressRenderer()
        var search = ArchitectureSearch(store: store, configuration: configuration) { seed in
            evaluatorOptions.makeEvaluator(seed: seed, databasePath: databasePath, devices: devices)
        }
        search.latencyMeter = latencyOptions.meter(
            configDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("gpnav-latency"))
        // A stop signal cancels the search (no further trial starts), stops running commands, lets
        // the search abandon their trials, and closes the store.
        let task = Task { try await search.run { event in renderer.handle(event) } }
        StopSignals.onStop { task.cancel() }
        StopSignals.awaitBeforeClosing(task)
        let report: SearchReport
        do {
            report = try await task.value
        } catch let error as StudyError {
            StopSignals.holdIfStopping()
            throw SearchCommandError(error)
        } catch {
            StopSignals.holdIfStopping()
            throw error
        }
        StopSignals.holdIfStopping()
        renderer.finish()
        // The trials are stored by now: an output that cannot be written fails only the report.
        let evaluator = evaluatorOptions.makeEvaluator(seed: report.study.seed, databasePath: databasePath)
        try StandardStreams.writeOutput(try SearchReportView(report: report, evaluator: evaluator, store: database.hint).render(format: format))
    }
}

/// A study error of `gpnav search`, with what to do about it on the command line.
struct SearchCommandError: UserFacingError {
    let error: StudyError
    init(_ error: StudyError) { self.error = error }
    var kind: FailureKind { error.kind }
    var description: String {
        switch error {
        case .exists:
            "\(error.description): pass --resume to continue it, or --study NAME to start another"
        case .settingsDiffer:
            "\(error.description); on --resume, leave out or repeat the study's own settings, or use --study NAME for a new study"
        default:
            error.description
        }
    }
}

/// A budget in words, e.g. `300 M MACs, 2.00 M params`.
func describe(_ budget: Budget) -> String {
    var parts: [String] = []
    if let macs = budget.macs { parts.append("\(Quantity.formatCount(macs)) MACs") }
    if let params = budget.params { parts.append("\(Quantity.formatCount(params)) params") }
    if let bytes = budget.memoryBytes { parts.append("\(Quantity.formatBytes(bytes)) of weights at \(budget.bits ?? 32) bits") }
    return parts.isEmpty ? "none" : parts.joined(separator: ", ")
}
