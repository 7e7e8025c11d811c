import Foundation
import GPNav
import MobileViT

/// `gpnav trials --running` as a table, CSV or JSON.
struct RunningTrialsView {
    var trials: [RunningTrial]

    static let header = ["number", "study", "worker", "slot", "started_at", "heartbeat_at", "elapsed_seconds",
                         "silent_seconds", "macs", "architecture", "epoch", "epoch_accuracy"]

    func text(_ format: OutputFormat) throws -> String {
        switch format {
        case .json: return try JSONOutput.encode(trials) + "\n"
        case .csv: return CSV.format(header: Self.header, rows: trials.map(Self.fields))
        case .table: return trials.isEmpty ? "No trial is running.\n" : table()
        }
    }

    private static func fields(_ trial: RunningTrial) -> [String] {
        [String(trial.number), trial.study, trial.worker ?? "", trial.slot.map(String.init) ?? "",
         TrialExport.timeText(trial.startedAt), trial.heartbeatAt.map(TrialExport.timeText) ?? "",
         String(format: "%.3f", trial.elapsedSeconds), String(format: "%.3f", trial.silentSeconds),
         String(trial.macs), trial.architecture, trial.epoch.map(String.init) ?? "",
         trial.epochAccuracy.map { String(format: "%.2f", $0) } ?? ""]
    }

    private func table() -> String {
        var table = TextTable(header: ["#", "study", "worker", "slot", "started", "running for", "last heartbeat", "epoch",
                                       "MACs", "architecture"],
                              alignments: [.right, .left, .left, .right, .left, .right, .right, .right, .right, .left])
        for trial in trials {
            table.append([String(trial.number), trial.study, trial.worker ?? "", trial.slot.map(String.init) ?? "",
                          TrialExport.timeText(trial.startedAt), ProgressRenderer.format(seconds: trial.elapsedSeconds),
                          ProgressRenderer.format(seconds: trial.silentSeconds) + " ago", epochText(trial), Quantity.formatCount(trial.macs),
                          trial.architecture])
        }
        return table.render()
    }

    private func epochText(_ trial: RunningTrial) -> String {
        guard let epoch = trial.epoch else { return "-" }
        return "\(epoch)" + (trial.epochAccuracy.map { String(format: " (%.2f%%)", $0) } ?? "")
    }
}
