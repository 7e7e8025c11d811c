import Foundation

/// A running trial as `gpnav trials --running` shows it: who trains it (the worker, and the slot
/// its name carries), since when, its last sign of life, how long each is ago, and the last epoch
/// its training reported.
public struct RunningTrial: Encodable, Sendable, Equatable {
    public var number: Int
    public var study: String
    public var worker: String?
    /// The evaluation slot, from the worker's name (``WorkerIdentity/slotNumber(of:)``).
    public var slot: Int?
    public var startedAt: Date
    public var heartbeatAt: Date?
    /// Seconds from the start to `now`.
    public var elapsedSeconds: Double
    /// Seconds from the last heartbeat (the start when there was none) to `now`.
    public var silentSeconds: Double
    public var macs: Int
    /// The architecture in words.
    public var architecture: String
    /// The last epoch reported so far and its accuracy (%); nil before the first report.
    public var epoch: Int?
    public var epochAccuracy: Double?

    /// `trial` of study `study` as seen at `now`, with the learning curve reported so far.
    public init(_ trial: Trial, study: String, now: Date, curve: [EpochReport] = []) {
        number = trial.number
        self.study = study
        worker = trial.worker
        slot = trial.worker.flatMap(WorkerIdentity.slotNumber(of:))
        startedAt = trial.startedAt
        heartbeatAt = trial.heartbeatAt
        elapsedSeconds = max(0, now.timeIntervalSince(trial.startedAt))
        silentSeconds = max(0, now.timeIntervalSince(trial.heartbeatAt ?? trial.startedAt))
        macs = trial.macs
        architecture = trial.architecture.description
        let last = curve.max { $0.epoch < $1.epoch }
        epoch = last?.epoch
        epochAccuracy = last?.accuracy
    }

    private enum CodingKeys: String, CodingKey {
        case number, study, worker, slot, startedAt = "started_at", heartbeatAt = "heartbeat_at"
        case elapsedSeconds = "elapsed_seconds", silentSeconds = "silent_seconds", macs, architecture
        case epoch, epochAccuracy = "epoch_accuracy"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(study, forKey: .study)
        try container.encode(worker, forKey: .worker)
        try container.encode(slot, forKey: .slot)
        try container.encode(TrialExport.timeText(startedAt), forKey: .startedAt)
        try container.encode(heartbeatAt.map(TrialExport.timeText), forKey: .heartbeatAt)
        try container.encode(elapsedSeconds, forKey: .elapsedSeconds)
        try container.encode(silentSeconds, forKey: .silentSeconds)
        try container.encode(macs, forKey: .macs)
        try container.encode(architecture, forKey: .architecture)
        try container.encode(epoch, forKey: .epoch)
        try container.encode(epochAccuracy, forKey: .epochAccuracy)
    }
}
