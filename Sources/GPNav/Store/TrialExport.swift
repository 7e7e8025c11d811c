import Foundation
import MobileViT

/// Trials as CSV rows: the columns `gpnav trials --format csv` and `gpnav pareto` write, and that
/// `gpnav import` reads back. The column names are stable; new ones are only ever appended.
///
/// Columns, in order: ``columns``, then one `metric_<name>` column per metric that any row has,
/// sorted by name (empty where a trial lacks it). Depths are comma-separated per stage (`2,4,3`,
/// quoted by the CSV rules), times ISO 8601 UTC with milliseconds, numbers in Swift's shortest
/// round-trip form, MACs and parameters exact integers, accuracy in percent. Empty means none.
public enum TrialExport {
    /// The fixed columns; the depth columns are the default family's depth groups (for
    /// MobileViTv2 `mv2_depths` and `vit_depths`).
    public static let columns = ["number", "study", "state", "resolution", "width"] + depthColumns + [
        "classes", "macs", "params", "accuracy", "proposal", "step", "acquisition", "started_at", "finished_at", "error",
    ]
    /// The depth groups' columns.
    static let depthColumns = ArchitectureFamilies.standard.depthGroups.map(\.name)
    /// Prefix of the metric columns, e.g. `metric_top5`.
    public static let metricPrefix = "metric_"

    /// The sorted metric names that any of `trials` has.
    public static func metricNames(_ trials: [Trial]) -> [String] {
        Set(trials.flatMap(\.metrics.keys)).sorted()
    }

    /// The header: ``columns`` then `metric_<name>` for each of `metricNames`.
    public static func header(metricNames: [String]) -> [String] {
        columns + metricNames.map { metricPrefix + $0 }
    }

    /// One trial's fields, in the order of ``header(metricNames:)``.
    public static func fields(_ trial: Trial, study: String, metricNames: [String]) -> [String] {
        let architecture = trial.architecture
        var fields: [String] = [
            String(trial.number), study, trial.state.rawValue, String(architecture.resolution),
            String(architecture.width),
        ]
        fields += depthColumns.map { SQLiteRows.depthsText(architecture.depths(named: $0) ?? []) }
        fields += [
            String(architecture.classes), String(trial.macs),
            String(trial.params), trial.accuracy.map { String($0) } ?? "", trial.proposal.kind.rawValue,
            trial.proposal.step.map(String.init) ?? "", trial.proposal.acquisition.map { String($0) } ?? "",
            StoreTime.text(trial.startedAt), trial.finishedAt.map(StoreTime.text) ?? "", trial.error ?? "",
        ]
        fields += metricNames.map { name in trial.metrics[name].map { String($0) } ?? "" }
        return fields
    }

    /// `trials` as RFC 4180 CSV with a header; `studyNames` maps study row ids to names.
    public static func csv(_ trials: [Trial], studyNames: [Int64: String]) -> String {
        let metrics = metricNames(trials)
        return CSV.format(header: header(metricNames: metrics), rows: trials.map {
            fields($0, study: studyNames[$0.studyID] ?? "", metricNames: metrics)
        })
    }

    /// A time as the store and CSV write it: ISO 8601 UTC with milliseconds.
    public static func timeText(_ date: Date) -> String { StoreTime.text(date) }
}
