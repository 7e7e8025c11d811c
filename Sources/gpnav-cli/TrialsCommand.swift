import ArgumentParser
import Foundation
import GPNav
import MobileViT

/// `gpnav trials`: the history of trials, filtered and sorted, as a table, CSV or JSON.
struct TrialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trials",
        abstract: "List trials: filter, sort, and print them as a table, CSV or JSON.",
        usage: "gpnav trials [--study <study>] [--state <state>] [<options>]",
        discussion: """
            Reads the database only; it never creates or changes it.

            CSV columns (`gpnav import` reads them back by name): number, study, state, \
            resolution, width, classes, macs, params, accuracy, proposal, step, acquisition, \
            started_at, finished_at, error, family, then the parts of the trials' families under \
            their own names (MobileViTv2: mv2_depths, vit_depths; MobileNetV2: depths), then \
            metric_<name> for each metric. JSON is an array with one object per trial (family \
            names the architecture's family, e.g. mobilevitv2); macs and params are exact integers. Under \
            the table, each failed or abandoned trial's reason, with the training command's last \
            stderr line.

            With --curves, the chosen trials' learning curves instead: one row per reported \
            epoch, with columns study, number, state, epoch, accuracy.

            --running lists the trials being trained now: number, study, worker, slot (from \
            the worker's name, e.g. host:pid/2), started_at, heartbeat_at, how long each has run \
            and been silent, MACs, architecture, and the last epoch its training reported with \
            its accuracy; JSON and CSV use those keys, with elapsed_seconds, silent_seconds, \
            epoch and epoch_accuracy.

            Examples:
              gpnav trials --study macs-300M --sort accuracy --desc --limit 10
              gpnav trials --study macs-300M --curves --format csv > curves.csv
              gpnav trials --study macs-300M --running
              gpnav trials --state complete --max-macs 300M --format csv > trials.csv
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Only this study's trials (default: all studies).")
    var study: String?

    @Option(help: "Only trials in this state.")
    var state: TrialState?

    @Flag(help: "Only running trials, with their worker, slot, start, last heartbeat and time so far.")
    var running = false

    @Option(name: .customLong("max-macs"), help: ArgumentHelp("Only trials with at most this many MACs, e.g. 300M.", valueName: "count"))
    var maxMACs: String?

    @Option(name: .customLong("min-accuracy"), help: ArgumentHelp("Only trials with at least this top-1 accuracy (%).", valueName: "percent"),
            transform: ArgumentRange.number(0...100, unit: " percent"))
    var minAccuracy: Double?

    @Option(help: "Sort key.")
    var sort: TrialQuery.SortKey = .number

    @Flag(help: "Sort in descending order.")
    var desc = false

    @Option(help: ArgumentHelp("Show at most this many trials.", valueName: "n"), transform: ArgumentRange.count(1...Int.max))
    var limit: Int?

    @Option(help: "Output format.")
    var format: OutputFormat = .table

    @Flag(help: "Print the chosen trials' learning curves (one row per reported epoch) instead of the trials.")
    var curves = false

    func validate() throws {
        if running, let state, state != .running { throw ValidationError("--running lists running trials: drop --state \(state.rawValue)") }
        if running, curves { throw ValidationError("--running and --curves are two views: give one") }
        if let maxMACs {
            do { _ = try Quantity.parseCount(maxMACs) } catch { throw ValidationError("--max-macs: \(error)") }
        }
    }

    func run() async throws {
        let store = try await database.openForReading()
        let query = TrialQuery(study: study, state: running ? .running : state, maxMACs: try maxMACs.map(Quantity.parseCount),
                               minAccuracy: minAccuracy, sort: sort, descending: desc, limit: limit)
        let trials = try await store.trials(query)
        let studyNames = Dictionary(uniqueKeysWithValues: try await store.studies().compactMap { study in
            study.id.map { ($0, study.name) }
        })
        if running {
            let now = Date()
            let curves = try await store.learningCurves(study: study)
            let shown = trials.map { trial in
                RunningTrial(trial, study: studyNames[trial.studyID] ?? "", now: now, curve: trial.id.flatMap { curves[$0] } ?? [])
            }
            try StandardStreams.writeOutput(try RunningTrialsView(trials: shown).text(format))
            return
        }
        if curves {
            let curves = try await store.learningCurves(study: study)
            try StandardStreams.writeOutput(try TrialCurvesView(trials: trials, curves: curves, studyNames: studyNames).render(format))
            return
        }
        let text: String
        switch format {
        case .csv: text = TrialExport.csv(trials, studyNames: studyNames)
        case .json: text = try JSONOutput.encode(trials.map { TrialJSON($0, study: studyNames[$0.studyID] ?? "") }) + "\n"
        case .table: text = trials.isEmpty ? "No trials match.\n" : Self.table(trials, studyNames: studyNames)
        }
        try StandardStreams.writeOutput(text)
    }

    /// Trials as a terminal table, about 90 columns wide for typical values.
    static func table(_ trials: [Trial], studyNames: [Int64: String]) -> String {
        // Each family's parts under their own names (depth groups by their short names, e.g. `mv2`).
        let parts = TrialExport.partColumns(trials)
        let shortNames = Dictionary(ArchitectureFamilies.all.flatMap { $0.depthGroups.map { ($0.name, $0.shortName) } }) { first, _ in first }
        let partNames = parts.map { shortNames[$0] ?? $0 }
        // The int8 accuracy beside the float one, when a training reported it (--int8-eval).
        let int8 = StudySettings.int8AccuracyMetric
        let showsInt8 = trials.contains { $0.metrics[int8] != nil }
        let header: [String] = ["#", "study", "state", "res", "width"] + partNames + ["MACs", "params", "acc %"]
            + (showsInt8 ? ["int8 %"] : []) + ["proposal"]
        let alignments: [TextTable.Alignment] = [.right, .left, .left, .right, .right]
            + parts.map { _ in .left } + [.right, .right, .right] + (showsInt8 ? [.right] : []) + [.left]
        var table = TextTable(header: header, alignments: alignments)
        for trial in trials {
            let architecture = trial.architecture
            var row: [String] = [String(trial.number), studyNames[trial.studyID] ?? "", trial.state.rawValue,
                                 String(architecture.resolution), formatWidth(architecture.width)]
            row += parts.map { TrialExport.part($0, of: architecture) }
            row += [Quantity.formatCount(trial.macs), Quantity.formatCount(trial.params), CellText.accuracy(trial.accuracy)]
                + (showsInt8 ? [CellText.accuracy(trial.metrics[int8])] : []) + [CellText.proposal(trial.proposal)]
            table.append(row)
        }
        // Why a trial failed is the first thing asked of one; under the table the reason is whole
        // and the table stays narrow.
        let reasons = trials.compactMap { trial in
            trial.error.map { "#\(trial.number) \(TerminalText.escaped(studyNames[trial.studyID] ?? "")) \(trial.state.rawValue): \(TerminalText.escaped($0))\n" }
        }
        return table.render() + (reasons.isEmpty ? "" : "\n" + reasons.joined())
    }
}
