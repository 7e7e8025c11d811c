import Foundation
import MobileViT

/// Trials as CSV rows: the columns `gpnav trials --format csv` and `gpnav pareto` write, and that
/// `gpnav import` reads back (by name, in any order).
///
/// Columns, in order: ``columns``, the architecture's own parts under its family's names (each
/// depth group and choice of the trials' families, e.g. MobileViTv2's `mv2_depths` and
/// `vit_depths`, MobileNetV2's `depths`; see ``partColumns(_:)``), then one `metric_<name>`
/// column per metric that any row has, sorted by name (empty where a trial lacks it). Depths are
/// comma-separated per stage (`2,4,3`, quoted by the CSV rules), times ISO 8601 UTC with
/// milliseconds, numbers in Swift's shortest round-trip form, MACs and parameters exact
/// integers, accuracy in percent. Empty means none.
public enum TrialExport {
    /// The columns every trial has, whatever its family (`family` names it, e.g. `mobilevitv2`).
    public static let columns = [
        "number", "study", "state", "resolution", "width", "classes", "macs", "params", "accuracy", "proposal", "step",
        "acquisition", "started_at", "finished_at", "error", "family",
    ]
    /// Every registered family's parts (depth groups, then choices), each name once, in
    /// registration order; a CSV has those of its trials' families (``partColumns(_:)``).
    public static let partColumns: [String] = {
        var names: [String] = []
        for family in ArchitectureFamilies.all {
            for name in family.depthGroups.map(\.name) + family.choices.map(\.name) where !names.contains(name) {
                names.append(name)
            }
        }
        return names
    }()
    /// Prefix of the metric columns, e.g. `metric_top5`.
    public static let metricPrefix = "metric_"

    /// The sorted metric names that any of `trials` has.
    public static func metricNames(_ trials: [Trial]) -> [String] {
        Set(trials.flatMap(\.metrics.keys)).sorted()
    }

    /// The part columns that any of `trials` has, e.g. `mv2_depths` and `vit_depths` for MobileViTv2 trials.
    public static func partColumns(_ trials: [Trial]) -> [String] {
        let families = Set(trials.map(\.architecture.familyName))
        let names = Set(ArchitectureFamilies.all.filter { families.contains($0.name) }
            .flatMap { $0.depthGroups.map(\.name) + $0.choices.map(\.name) })
        return partColumns.filter(names.contains)
    }

    /// The header: ``columns``, `parts` (see ``partColumns(_:)``), then `metric_<name>` for each
    /// of `metricNames`.
    public static func header(metricNames: [String], parts: [String] = []) -> [String] {
        columns + parts + metricNames.map { metricPrefix + $0 }
    }

    /// One trial's fields, in the order of ``header(metricNames:parts:)``.
    public static func fields(_ trial: Trial, study: String, metricNames: [String], parts: [String] = []) -> [String] {
        let architecture = trial.architecture
        var fields: [String] = [
            String(trial.number), study, trial.state.rawValue, String(architecture.resolution),
            String(architecture.width), String(architecture.classes), String(trial.macs),
            String(trial.params), trial.accuracy.map { String($0) } ?? "", trial.proposal.kind.rawValue,
            trial.proposal.step.map(String.init) ?? "", trial.proposal.acquisition.map { String($0) } ?? "",
            StoreTime.text(trial.startedAt), trial.finishedAt.map(StoreTime.text) ?? "", trial.error ?? "",
            architecture.familyName,
        ]
        fields += parts.map { part($0, of: architecture) }
        fields += metricNames.map { name in trial.metrics[name].map { String($0) } ?? "" }
        return fields
    }

    /// The text of the part called `name` of `architecture` (a depth list or a choice); empty when
    /// its family has no such part.
    public static func part(_ name: String, of architecture: Architecture) -> String {
        if let depths = architecture.depths(named: name) { return SQLiteRows.depthsText(depths) }
        let family = architecture.family
        guard let choice = family.choices.first(where: { $0.name == name }),
              let value = architecture.choice(named: name) else { return "" }
        return choice.text(of: value)
    }

    /// `trials` as RFC 4180 CSV with a header; `studyNames` maps study row ids to names.
    public static func csv(_ trials: [Trial], studyNames: [Int64: String]) -> String {
        let metrics = metricNames(trials)
        let parts = partColumns(trials)
        return CSV.format(header: header(metricNames: metrics, parts: parts), rows: trials.map {
            fields($0, study: studyNames[$0.studyID] ?? "", metricNames: metrics, parts: parts)
        })
    }

    /// A time as the store and CSV write it: ISO 8601 UTC with milliseconds.
    public static func timeText(_ date: Date) -> String { StoreTime.text(date) }
}
