import Foundation
import MobileViT

/// Scores an architecture by running a real training job: one shell command per trial.
///
/// For each request it writes the trial's ``TrialConfig`` as a JSON file in `configDirectory`
/// (`resolution`, `width`, `mv2_depths`, `vit_depths`, `classes`, `macs`, `params`, `study`,
/// `trial`, and `channel_plan`, the exact layer widths of ``NetworkPlan``) and runs the template with `/bin/sh -c` in a process group of its own. The command's
/// environment always holds the trial's values, never gpnav's own variables (see
/// ``CommandEnvironment``), and the placeholders refer to them:
///
/// - `{config}`, `GPNAV_CONFIG`: the configuration file's path;
/// - `{trial}`, `GPNAV_TRIAL`: the trial number;
/// - `{study}`, `GPNAV_STUDY`: the study name;
/// - `{seed}`, `GPNAV_SEED`: the training's seed (``EvaluationRequest/seed``);
/// - `{epochs}`, `GPNAV_EPOCHS`: the study's full training length in epochs (also `epochs` in the
///   configuration file), when the study sets one; a command that uses `{epochs}` in a study
///   without one fails.
/// - `{slot}`, `GPNAV_SLOT`: the evaluation slot running it (``EvaluationRequest/slot``), and
///   `CUDA_VISIBLE_DEVICES` set to that slot's GPUs when ``devices`` is given.
///
/// A trial that retries an abandoned one (``EvaluationRequest/retriedTrial``) first gets a copy
/// of that trial's checkpoint (``TrialFiles``), so a training that resumes from it goes on where
/// the abandoned one stopped.
///
/// A command that ``resumes`` goes on from its own checkpoint when it is run again for the same
/// trial, as `gpnav_torch.train` does: a study with pruning then pauses its trainings rather than
/// ending them, and continues one by running its command again
/// (``EvaluationRequest/resumedAfterEpoch``, also given to the command as `GPNAV_RESUME_EPOCH`, so
/// that it can refuse a checkpoint that is behind). Such a command may print again the curve it had
/// trained before it goes on (`gpnav_torch.train` does); those lines are checked as any others but
/// not reported again, so every epoch is reported once. One command at a time runs per trial
/// (``TrialCommandTurns``): a continued training waits until the stopped one has exited, in this
/// process or, through the trial's lock file (``TrialFileLock``), in another that shares the
/// configuration directory (two `gpnav worker`s on one machine).
///
/// A value never becomes part of the shell script: each placeholder is replaced by a reference to
/// its variable, written for the quoting around it (see ``CommandTemplate``), so `{study}`,
/// `'{study}'` and `"{study}"` all give the command the exact name, whatever characters it holds.
///
/// The command reports by printing on stdout a JSON object with a numeric `accuracy` in percent,
/// e.g. `{"accuracy": 71.3, "loss": 1.2}`; the last stdout line that is a JSON object with an
/// `accuracy` key (and no `epoch` key) counts, and its other numeric keys become metrics. Before it,
/// the command may print its learning curve, one line per evaluation, e.g.
/// `{"epoch": 3, "accuracy": 41.2}` (epochs from 1, strictly increasing, at most the study's
/// length): each is handed to the reporter as it arrives (see ``ResultLines`` for the rules; a
/// bad one fails the trial with the stdout line at fault). Lines of any length up to
/// ``ProcessRunner/maxLineLength`` (16 MiB) are read; a longer line that holds the `accuracy`
/// key fails the trial with a reason that says so (see ``ResultLines``). Lines are read as strict JSON
/// (see ``StrictJSON``): a line that names `"accuracy"` but is not exactly JSON (a duplicate key,
/// `0x46`, `NaN`, text after the object) fails the trial with the reason. Anything else fails the trial
/// with a one-line reason: a non-zero exit status, a signal, the time limit (the whole process
/// group gets SIGTERM, then SIGKILL after `terminationGrace`), no such line, or an accuracy that is
/// not a finite number in 0...100. A failure by exit status or signal ends its reason with the
/// last line the command wrote on stderr (`exited with status 3; stderr: ...`). The last `outputLimit` bytes of stdout and stderr are kept
/// with the result either way, with a note of how many earlier bytes were left out; NUL bytes and
/// invalid UTF-8 are kept visibly as `\u{0}` and `\x{FF}`.
///
/// Each evaluation waits on a thread of its own, never on Swift's cooperative pool, so several
/// evaluations may run side by side.
public struct CommandEvaluator: Evaluator {
    /// The shell command with its placeholders.
    public let commandTemplate: String
    /// The time limit of one run.
    public let timeout: Duration
    /// How long a timed-out command has between SIGTERM and SIGKILL.
    public let terminationGrace: Duration
    /// Where the command runs; the current directory when nil.
    public let workingDirectory: URL?
    /// Where the trials' configuration files are written (created when missing).
    public let configDirectory: URL
    /// How many bytes of output are kept, the last ones.
    public let outputLimit: Int
    /// The GPUs of each evaluation slot, set as `CUDA_VISIBLE_DEVICES`; nil leaves it as inherited.
    public let devices: DeviceSlots?
    /// Whether the command, run again for a trial it trained before, goes on from its own
    /// checkpoint rather than starting over; the user says so (`--evaluator-resumes`).
    public let resumes: Bool

    public init(
        commandTemplate: String,
        timeout: Duration,
        workingDirectory: URL? = nil,
        configDirectory: URL,
        outputLimit: Int = 64 * 1024,
        terminationGrace: Duration = .seconds(5),
        devices: DeviceSlots? = nil,
        resumes: Bool = false
    ) {
        self.devices = devices
        self.resumes = resumes
        self.commandTemplate = commandTemplate
        self.timeout = timeout
        self.workingDirectory = workingDirectory
        self.configDirectory = configDirectory
        self.outputLimit = max(0, outputLimit)
        self.terminationGrace = terminationGrace
    }

    public var summary: String {
        "command: \(commandTemplate) (timeout \(formatSeconds(timeout.seconds)) s)"
    }

    public var isSimulated: Bool { false }

    public var canResume: Bool { resumes }

    public func evaluate(_ request: EvaluationRequest) async throws(EvaluationFailure) -> EvaluationResult {
        try await evaluate(request, reporting: { _ in .proceed })
    }

    public func evaluate(_ request: EvaluationRequest, reporting reporter: @escaping EpochReporter)
        async throws(EvaluationFailure) -> EvaluationResult {
        let files = TrialFiles(directory: configDirectory, study: request.study, trial: request.trialNumber)
        await TrialCommandTurns.shared.take(files.config.path)
        let result: Result<EvaluationResult, EvaluationFailure>
        do throws(EvaluationFailure) {
            // A command that resumes reads and writes one checkpoint: a worker in another process
            // that shares the configuration directory must not run the same trial meanwhile.
            let lock = resumes ? try await Self.lock(files.lock) : nil
            defer { lock?.release() }
            result = .success(try await run(request, reporting: reporter))
        } catch {
            result = .failure(error)
        }
        await TrialCommandTurns.shared.give(files.config.path)
        return try result.get()
    }

    /// The trial's lock file, held (``TrialFileLock``); a lock that cannot be taken fails the trial.
    private static func lock(_ file: URL) async throws(EvaluationFailure) -> TrialFileLock {
        do {
            return try await TrialFileLock.acquire(at: file)
        } catch {
            throw EvaluationFailure(reason: error.description)
        }
    }

    private func run(_ request: EvaluationRequest, reporting reporter: @escaping EpochReporter)
        async throws(EvaluationFailure) -> EvaluationResult {
        if let directory = workingDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw EvaluationFailure(reason: "working directory \(directory.path) does not exist")
            }
        }
        let template = CommandTemplate(template: commandTemplate)
        if request.epochs == nil, template.uses(placeholder: "{epochs}") {
            throw EvaluationFailure(reason: "the command uses {epochs}, but the study sets no training length in epochs")
        }
        let configPath = try writeConfiguration(request)
        if let retried = request.retriedTrial {
            // Without the earlier checkpoint the training starts over, as it would have anyway.
            let files = TrialFiles(directory: configDirectory, study: request.study, trial: request.trialNumber)
            _ = try? files.adoptCheckpoint(of: TrialFiles(directory: configDirectory, study: request.study, trial: retried))
        }
        let command = template.script
        var variables = CommandTemplate.environment(
            config: configPath, trial: request.trialNumber, study: request.study, seed: request.seed,
            epochs: request.epochs, slot: request.slot)
        if let devices { variables["CUDA_VISIBLE_DEVICES"] = devices.visibleDevices(slot: request.slot) }
        if let after = request.resumedAfterEpoch { variables["GPNAV_RESUME_EPOCH"] = String(after) }
        let environment = variables
        if environment.values.contains(where: { $0.utf8.contains(0) }) {
            throw EvaluationFailure(reason: "the study name or configuration path holds a NUL character, which a command's environment cannot carry")
        }
        let limit = timeout.seconds
        let grace = terminationGrace.seconds
        let directory = workingDirectory?.path
        let keep = outputLimit
        let epochs = request.epochs
        // A prune answer stops the command through the same request as any other stop.
        let stop = request.stop ?? TrainingStop()
        // A continued training's replay of the epochs it had reported before.
        let reported = request.resumedAfterEpoch ?? 0

        // The runner's thread hands each intermediate report on as its line arrives and its
        // outcome last; the stream holds at most EpochReport.epochRange's count of reports, since
        // epochs increase strictly.
        let (events, sink) = AsyncStream.makeStream(of: CommandRunEvent.self)
        let thread = Thread {
            var lines = ResultLines(epochs: epochs)
            let outcome = ProcessRunner.run(
                command: command, environment: environment, workingDirectory: directory, timeout: limit,
                grace: grace, outputLimit: keep, stop: stop
            ) { line in
                if let report = lines.read(line) { sink.yield(.report(report)) }
            }
            sink.yield(.finished(outcome, lines))
            sink.finish()
        }
        thread.name = "gpnav trial \(request.trialNumber)"
        thread.start()
        // An unstructured task is not cancelled with its caller: a cancelled search still waits
        // for its commands and records them, so the reports keep flowing until the command ends.
        let consumer = Task { () -> (outcome: Result<ProcessOutcome, LaunchFailure>, lines: ResultLines)? in
            for await event in events {
                switch event {
                case .report(let report) where report.epoch <= reported:
                    continue
                case .report(let report):
                    switch await reporter(report) {
                    case .proceed: break
                    case .prune: stop.request()
                    }
                case .finished(let outcome, let lines):
                    return (outcome, lines)
                }
            }
            return nil
        }
        guard let run = await consumer.value else {
            throw EvaluationFailure(reason: "the command's runner ended without an outcome")
        }

        let outcome: ProcessOutcome
        switch run.outcome {
        case .failure(let failure): throw EvaluationFailure(reason: failure.message)
        case .success(let value): outcome = value
        }
        let output = outcome.outputTail
        if outcome.stopped {
            throw EvaluationFailure(reason: "stopped on request; the command's process group was killed",
                                    output: output, kind: .stopped)
        }
        if outcome.timedOut {
            throw EvaluationFailure(
                reason: "timed out after \(formatSeconds(limit)) s; the command's process group was killed",
                output: output)
        }
        // The command's own last word on stderr says why far better than a status does.
        let said = outcome.lastErrorLine.map { "; stderr: \($0)" } ?? ""
        switch outcome.termination {
        case .signaled(let signal):
            throw EvaluationFailure(reason: "killed by signal \(signal)\(Self.signalName(signal))\(said)", output: output)
        case .exited(127):
            throw EvaluationFailure(
                reason: "command not found (exit status 127); check the evaluator command and its PATH\(said)",
                output: output)
        case .exited(126):
            throw EvaluationFailure(reason: "command not executable (exit status 126)\(said)", output: output)
        case .exited(let status) where status > 128 && status < 128 + 65:
            // A shell reports a child killed by signal N as 128 + N (137: SIGKILL, often the OOM killer).
            throw EvaluationFailure(
                reason: "exited with status \(status): killed by signal \(status - 128)\(Self.signalName(status - 128))\(said)",
                output: output)
        case .exited(let status) where status != 0:
            throw EvaluationFailure(reason: "exited with status \(status)\(said)", output: output)
        case .exited:
            break
        }
        return try run.lines.result(output: output).get()
    }

    /// `text` as one POSIX shell word: single-quoted, each `'` written as `'\''`.
    public static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Writes the request as JSON and returns the file's path.
    private func writeConfiguration(_ request: EvaluationRequest) throws(EvaluationFailure) -> String {
        let configuration = TrialConfig(request)
        let file = TrialFiles(directory: configDirectory, study: request.study, trial: request.trialNumber).config
        do {
            try FileManager.default.createDirectory(at: configDirectory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(configuration).write(to: file, options: .atomic)
        } catch {
            throw EvaluationFailure(reason: "could not write the trial configuration \(file.path): \(error.localizedDescription)")
        }
        return file.path
    }

    private static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGKILL: " (SIGKILL; out of memory?)"
        case SIGTERM: " (SIGTERM)"
        case SIGSEGV: " (SIGSEGV)"
        case SIGABRT: " (SIGABRT)"
        case SIGINT: " (SIGINT)"
        default: ""
        }
    }
}

/// What the thread running a command hands to the evaluation awaiting it.
private enum CommandRunEvent: Sendable {
    case report(EpochReport)
    case finished(Result<ProcessOutcome, LaunchFailure>, ResultLines)
}

private func formatSeconds(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.3g", value)
}
