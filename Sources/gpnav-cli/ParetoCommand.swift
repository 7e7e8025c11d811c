import ArgumentParser
import Foundation
import GPNav
import MobileViT

/// `gpnav pareto`: the non-dominated complete trials for chosen objectives, as CSV, a table or JSON.
struct ParetoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pareto",
        abstract: "Write the Pareto front of complete trials as CSV, a table or JSON.",
        usage: "gpnav pareto [--study <study>] [--objectives <list>] [<options>]",
        discussion: """
            A trial is on the front when no other complete trial is at least as good in every \
            objective and better in one. Objectives are accuracy, macs, params, latency (the \
            measured latency_ms of a study with a latency budget) or any metric the evaluator \
            stored, each :max or :min; trials lacking a metric are left out (so latency fronts hold \
            measured trials only, never predictions), and a name that is none of these is an error. The default is the study's own objectives, \
            usually accuracy:max,macs:min. Trials with \
            equal objective values are all kept. Rows come best first by the first objective, then \
            the next, then by trial. --max-macs keeps only trials with at most that many MACs \
            before the front is taken. The columns, table and JSON are those of `gpnav trials`; \
            CSV is the default.

            Examples:
              gpnav pareto --study macs-300M
              gpnav pareto --study macs-300M --max-macs 250M --format table
              gpnav pareto --objectives accuracy:max,macs:min,params:min --out front.csv
              gpnav pareto --study lat-40ms --objectives accuracy:max,latency:min
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Only this study's trials (default: all studies).")
    var study: String?

    @Option(help: ArgumentHelp("Objectives and directions, comma-separated (default: the study's own, usually accuracy:max,macs:min).",
                               valueName: "name:max|min,..."))
    var objectives: String?

    @Option(name: .customLong("max-macs"), help: ArgumentHelp("Only trials with at most this many MACs, e.g. 300M.", valueName: "count"))
    var maxMACs: String?

    @Option(help: "Output format.")
    var format: OutputFormat = .csv

    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var out: String?

    func validate() throws {
        // Thrown from validate(), a typed error would reach the exit code wrapped; say it as usage.
        if let maxMACs {
            do { _ = try Quantity.parseCount(maxMACs) } catch { throw ValidationError("--max-macs: \(error)") }
        }
        guard let objectives else { return }
        do { _ = try Objective.parseList(objectives) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let store = try await database.openForReading()
        let studies: [Study]
        if let study {
            guard let found = try await store.study(named: study) else {
                throw StoreError.unknownStudy(study, known: try await store.studies().map(\.name))
            }
            studies = [found]
        } else {
            studies = try await store.studies()
        }
        let objectives = try self.objectives.map(Objective.parseList) ?? Objective.defaults(for: studies)
        let trials = try await ParetoFront.trials(in: store, study: study, objectives: objectives,
                                                  maxMACs: try maxMACs.map(Quantity.parseCount))
        let studyNames = Dictionary(uniqueKeysWithValues: try await store.studies().compactMap { study in
            study.id.map { ($0, study.name) }
        })
        let text = switch format {
        case .csv: TrialExport.csv(trials, studyNames: studyNames)
        case .json: try JSONOutput.encode(trials.map { TrialJSON($0, study: studyNames[$0.studyID] ?? "") }) + "\n"
        case .table: trials.isEmpty ? "No trials on the front.\n" : TrialsCommand.table(trials, studyNames: studyNames)
        }
        try OutputDestination.write(text, to: out)
    }
}
