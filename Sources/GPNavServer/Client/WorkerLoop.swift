import Foundation
import Synchronization
import GPNav

/// What a worker does and sees, for the command line to print.
public enum WorkerEvent: Sendable {
    /// A trial was claimed and its evaluation starts in `slot`; `resumedAfterEpoch` when it
    /// continues a paused training after that many epochs.
    case claimed(study: String, trial: Int, description: String, slot: Int, resumedAfterEpoch: Int? = nil)
    case completed(trial: Int, accuracy: Double)
    case failed(trial: Int, reason: String)
    /// The server pruned the trial after its report of `epoch`: the command was stopped. With
    /// `resumable` the stop may be a pause, and a later ask may continue the trial.
    case pruned(trial: Int, epoch: Int, resumable: Bool = false)
    /// The server could not be reached; the worker tries again after `retryIn` seconds.
    case serverUnreachable(detail: String, retryIn: Double)
    /// The server refused a result (e.g. a different result was told before); it is dropped.
    case resultRefused(trial: Int, detail: String)
    /// Nothing to claim now (every candidate is running elsewhere); asking again later.
    case waiting(seconds: Double)
}

/// How a worker run ended.
public enum WorkerEnd: Sendable, Equatable {
    /// The study has its complete trials.
    case studyDone
    /// `maxTrials` trials were evaluated.
    case maxTrialsReached
    /// The task was cancelled (SIGTERM): the running trial was reported abandoned ("stopped").
    case stopped
}

/// The loop of `gpnav worker`: ask the server for a trial, evaluate it while sending heartbeats,
/// report the result, again, until the study is done. An unreachable server is retried with
/// exponential backoff, and a finished result is kept until the server has it.
///
/// With `slots` N above 1 it runs N such loops side by side, slot i naming itself
/// `<workerID>/<i>` to the server and evaluating with ``EvaluationRequest/slot`` i (its `{slot}`,
/// `GPNAV_SLOT` and GPUs); `maxTrials` counts the trials of all slots together.
///
/// An evaluator that ``GPNav/Evaluator/canResume`` (the simulator, a command that resumes) asks
/// with `resumes` and sends its reports as `resumable`, as `gpnav search` treats it: in a study
/// with pruning every rung is then a pause, and the server may hand a paused trial back
/// (``SuggestionReply/Trial/resumedAfterEpoch``), which is evaluated as the same trial from there
/// (``GPNav/EvaluationRequest/resumedAfterEpoch``). Each continuation counts as one trial of `maxTrials`.
public struct WorkerLoop: Sendable {
    public let client: ServiceClient
    /// Makes the evaluator from the study's stored settings, read once when the loop starts (the
    /// training simulator takes the study's seed).
    public let makeEvaluator: @Sendable (StudyReply) -> any Evaluator
    public let study: String
    public let workerID: String
    /// Trials to evaluate before stopping; nil for no limit.
    public let maxTrials: Int?
    /// The first and the longest wait between retries, seconds.
    public let backoff: ClosedRange<Double>
    /// Trials evaluated at once, each in a slot of its own.
    public let slots: Int

    public init(client: ServiceClient, study: String, workerID: String, maxTrials: Int? = nil,
                backoff: ClosedRange<Double> = 0.25...10, slots: Int = 1,
                makeEvaluator: @escaping @Sendable (StudyReply) -> any Evaluator) {
        self.slots = max(1, slots)
        self.client = client
        self.makeEvaluator = makeEvaluator
        self.study = study
        self.workerID = workerID
        self.maxTrials = maxTrials
        self.backoff = backoff
    }

    /// Runs until the study is done, `maxTrials` are evaluated or the task is cancelled.
    /// - Throws: ``ServiceClientError`` when the server refuses the worker (unknown study,
    ///   wrong token): retrying would not help.
    public func run(events: @escaping @Sendable (WorkerEvent) -> Void = { _ in }) async throws(ServiceClientError) -> WorkerEnd {
        guard let settings = try await retrying(events, { () async throws(ServiceClientError) in
            try await client.study(study)
        }) else { return .stopped }
        let evaluator = makeEvaluator(settings)
        let allowance = TrialAllowance(maxTrials)
        guard slots > 1 else { return try await run(slot: 0, worker: workerID, evaluator, allowance, events) }
        let ends: [WorkerEnd]
        do {
            // A refusal in one slot ends them all (leaving the group cancels the others).
            ends = try await withThrowingTaskGroup(of: WorkerEnd.self) { group in
                for slot in 0..<slots {
                    group.addTask { [workerID] in
                        try await run(slot: slot, worker: "\(workerID)/\(slot)", evaluator, allowance, events)
                    }
                }
                var ends: [WorkerEnd] = []
                while let end = try await group.next() { ends.append(end) }
                return ends
            }
        } catch let error as ServiceClientError {
            throw error
        } catch {
            return .stopped
        }
        return ends.contains(.stopped) ? .stopped : ends.contains(.studyDone) ? .studyDone : .maxTrialsReached
    }

    /// One slot's loop, as `worker`.
    private func run(slot: Int, worker: String, _ evaluator: any Evaluator, _ allowance: TrialAllowance,
                     _ events: @escaping @Sendable (WorkerEvent) -> Void) async throws(ServiceClientError) -> WorkerEnd {
        while await allowance.take() {
            guard let reply = try await retrying(events, { () async throws(ServiceClientError) in
                try await client.suggest(study: study, worker: worker, resumes: evaluator.canResume)
            }) else { return .stopped }
            if reply.done { return .studyDone }
            guard let trial = reply.trials.first else {
                await allowance.giveBack()
                let wait = backoff.upperBound / 4
                events(.waiting(seconds: wait))
                do { try await Task.sleep(for: Seconds(clamping: wait).duration) } catch { return .stopped }
                continue
            }
            events(.claimed(study: study, trial: trial.number, description: trial.architecture.description, slot: slot,
                            resumedAfterEpoch: trial.resumedAfterEpoch))
            let (outcome, prunedAt) = await evaluateWithHeartbeats(trial, slot: slot, evaluator: evaluator)
            if let prunedAt {
                // The server stored the trial as pruned when it said so: nothing is left to report.
                events(.pruned(trial: trial.number, epoch: prunedAt, resumable: evaluator.canResume))
                if Task.isCancelled { return .stopped }
                continue
            }
            if Task.isCancelled {
                // A result that finished before the stop is real training: hand it in rather than "stopped".
                if case .success(let result) = outcome {
                    await detached { try? await client.complete(study: study, trial: trial.number, result: result) }
                } else {
                    await reportStopped(trial.number)
                }
                return .stopped
            }
            switch outcome {
            case .success(let result):
                let delivered = try await deliver(events, trial: trial.number) { () async throws(ServiceClientError) in
                    try await client.complete(study: study, trial: trial.number, result: result)
                }
                guard delivered else {
                    // Stopped while the server was away: one last try, so the training is not lost.
                    await detached { try? await client.complete(study: study, trial: trial.number, result: result) }
                    return .stopped
                }
                events(.completed(trial: trial.number, accuracy: result.accuracy))
            case .failure(let failure):
                let delivered = try await deliver(events, trial: trial.number) { () async throws(ServiceClientError) in
                    try await client.fail(study: study, trial: trial.number, reason: failure.reason, output: failure.output)
                }
                guard delivered else { return .stopped }
                events(.failed(trial: trial.number, reason: failure.reason))
            }
        }
        return .maxTrialsReached
    }

    /// The evaluation, with a heartbeat every third of the lease while it runs, and the epoch
    /// after which the server pruned the trial (then the command was stopped), if it did.
    private func evaluateWithHeartbeats(_ trial: SuggestionReply.Trial, slot: Int, evaluator: any Evaluator) async
        -> (Result<EvaluationResult, EvaluationFailure>, prunedAt: Int?) {
        let request = EvaluationRequest(architecture: trial.architecture, macs: trial.macs, params: trial.params,
                                        study: study, trialNumber: trial.number, epochs: trial.epochs,
                                        slot: slot, retriedTrial: trial.retriedTrial,
                                        resumedAfterEpoch: trial.resumedAfterEpoch)
        // A third of the lease (checked when the reply was read), so that two heartbeats may be lost.
        let interval = Seconds(clamping: max(trial.lease.value / 3, 0.05)).duration
        let client = client
        let study = study
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    do { try await Task.sleep(for: interval) } catch { return }
                    // A missed heartbeat is not fatal: the next one, or the result, follows.
                    try? await client.heartbeat(study: study, trial: trial.number)
                }
            }
            // Each point of the learning curve goes to the server as it arrives; a lost one is not
            // fatal (the result follows). When the server prunes the trial, the command stops.
            let prunedAt = Mutex<Int?>(nil)
            let resumable = evaluator.canResume
            let reporter: EpochReporter = { report in
                guard (try? await client.report(study: study, trial: trial.number, report, resumable: resumable)) == true else {
                    return .proceed
                }
                prunedAt.withLock { $0 = $0 ?? report.epoch }
                return .prune
            }
            let outcome: Result<EvaluationResult, EvaluationFailure>
            do throws(EvaluationFailure) {
                outcome = .success(try await evaluator.evaluate(request, reporting: reporter))
            } catch {
                outcome = .failure(error)
            }
            group.cancelAll()
            return (outcome, prunedAt.withLock { $0 })
        }
    }

    /// Calls `operation` until the server answers; nil when cancelled while waiting.
    private func retrying<T>(_ events: @Sendable (WorkerEvent) -> Void,
                             _ operation: () async throws(ServiceClientError) -> T) async throws(ServiceClientError) -> T? {
        try await untilAnswered(backoff: backoff, unreachable: { detail, wait in
            events(.serverUnreachable(detail: detail, retryIn: wait))
        }, operation)
    }

    /// Delivers a result until the server has it; a refusal (the trial was finished otherwise) is
    /// reported and dropped. False when cancelled before delivery.
    private func deliver(_ events: @Sendable (WorkerEvent) -> Void, trial: Int,
                         _ operation: () async throws(ServiceClientError) -> Void) async throws(ServiceClientError) -> Bool {
        do {
            return try await retrying(events, operation) != nil
        } catch .refused(let status, let message) where status == 409 || status == 400 {
            events(.resultRefused(trial: trial, detail: message))
            return true
        }
    }

    /// The reason a stopped worker's trial is abandoned with.
    public static let stoppedReason = "stopped: the worker was interrupted"

    /// Reports the trial abandoned (stopped, not failed), outside the cancelled task so that the
    /// request goes.
    private func reportStopped(_ trial: Int) async {
        let client = client
        let study = study
        await detached { try? await client.abandon(study: study, trial: trial, reason: Self.stoppedReason) }
    }

    private func detached(_ operation: @escaping @Sendable () async -> Void) async {
        await Task.detached(operation: operation).value
    }
}

/// The trials a worker may still start, shared by its slots (nil: no limit).
actor TrialAllowance {
    private var left: Int?

    init(_ limit: Int?) { left = limit }

    /// Takes one trial; false when none is left.
    func take() -> Bool {
        guard let count = left else { return true }
        guard count > 0 else { return false }
        left = count - 1
        return true
    }

    /// Returns a trial taken for an ask that got none.
    func giveBack() {
        if let count = left { left = count + 1 }
    }
}
