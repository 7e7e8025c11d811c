import GPNav

/// `gpnav trials --curves`: the chosen trials' learning curves, one row per reported epoch, as a
/// table, CSV (columns `study`, `number`, `state`, `epoch`, `accuracy`) or JSON (an array of
/// objects with those keys).
struct TrialCurvesView {
    struct Row: Encodable {
        var study: String
        var number: Int
        var state: TrialState
        var epoch: Int
        var accuracy: Double
    }

    static let csvHeader = ["study", "number", "state", "epoch", "accuracy"]

    let rows: [Row]

    /// The rows of `trials` (in their order) with their `curves` by trial id.
    init(trials: [Trial], curves: [Int64: [EpochReport]], studyNames: [Int64: String]) {
        rows = trials.flatMap { trial in
            (trial.id.flatMap { curves[$0] } ?? []).map { point in
                Row(study: studyNames[trial.studyID] ?? "", number: trial.number, state: trial.state,
                    epoch: point.epoch, accuracy: point.accuracy)
            }
        }
    }

    func render(_ format: OutputFormat) throws -> String {
        switch format {
        case .csv:
            return CSV.format(header: Self.csvHeader, rows: rows.map {
                [$0.study, String($0.number), $0.state.rawValue, String($0.epoch), String($0.accuracy)]
            })
        case .json:
            return try JSONOutput.encode(rows) + "\n"
        case .table:
            guard !rows.isEmpty else { return "No learning curves: no chosen trial reported an intermediate result.\n" }
            var table = TextTable(header: ["study", "#", "state", "epoch", "acc %"],
                                  alignments: [.left, .right, .left, .right, .right])
            for row in rows {
                table.append([row.study, String(row.number), row.state.rawValue, String(row.epoch),
                              CellText.accuracy(row.accuracy)])
            }
            return table.render()
        }
    }
}
