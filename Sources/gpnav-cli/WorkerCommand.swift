#if Server
import ArgumentParser
import Dispatch
import Foundation
import GPNav
import GPNavServer

/// `gpnav worker`: asks a `gpnav serve` for trials, trains each with a command, reports back.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Train the trials a gpnav server suggests, one after another (or several at once), and report the results.",
        discussion: """
            Loops: ask the server for the next trial of the study, run the training command \
            exactly as `gpnav search --evaluator-command` does ({config}, {trial}, {study}, \
            {epochs} and {slot} substituted; a last stdout line like {"accuracy": 71.3}), send heartbeats \
            and each learning-curve line ({"epoch": 3, "accuracy": 41.2}) while it runs, report \
            the result. When the study prunes the trial (a study created with prune on), the \
            server's answer to a curve line stops the command (SIGTERM to its process group, \
            then SIGKILL) and the trial stays pruned. When the server cannot be reached it retries with backoff \
            and keeps a finished result until the server has it. Exits 0 when the study is done \
            (or after --max-trials); on SIGTERM or SIGINT it stops the command, reports the trial \
            abandoned (as an interrupted gpnav search leaves its own, so the study trains it \
            again) and exits 143 (130). A trial that retries an abandoned one starts with a copy \
            of its checkpoint (<config without .json>.ckpt.pt, as python -m gpnav_torch.train \
            writes it) when that is in --config-dir, so its training resumes where the other stopped.

            --evaluator-resumes says that the command, run again for a trial it trained before, \
            goes on from its own checkpoint (python -m gpnav_torch.train does; the simulator of \
            --evaluator stub always resumes). In a study with prune on, every rung the training \
            reaches is then a pause: the trial is stored pruned with its curve, and a later ask \
            (of this or another such worker) may continue it as the same trial, running the \
            command again with the same config path in --config-dir and GPNAV_RESUME_EPOCH=k, \
            and forwarding only its curve lines after epoch k. It needs --config-dir, shared by \
            the study's resuming workers, so that the checkpoint is found. A worker without it \
            is never handed a paused trial, and its stops are final.

            --slots N trains N trials at once, slot i (0 to N - 1) naming itself <worker id>/<i> \
            and giving its command {slot} and GPNAV_SLOT; with --gpus each slot's command sees \
            its own GPUs as CUDA_VISIBLE_DEVICES (4 GPUs and 2 slots: 0,1 and 2,3; fewer GPUs \
            than slots are taken in turn).

            --measure-only makes the worker a latency meter on the device a study's latency \
            budget names (--device-name), so that the search host need not be the device: it \
            asks the server which architectures the studies on that device wait for, runs \
            --latency-command on each exactly as `gpnav search --latency-command` does ({config} \
            substituted, {trial} 0; one JSON line with latency_ms), judges it by the study's \
            budget and margin as the search does (within the budget but refused by the margin \
            alone: read again, up to 3 readings, judged as their median), and sends the \
            measurement, which the server checks against the study's runtime, threads and \
            precision and stores. The \
            studies hand out for training only architectures measured within their budget; \
            until one is measured their training workers wait. A measurement the command \
            cannot take (non-zero exit, time-out, no reading, a reading again that fails) is not \
            tried again: the worker \
            reports it with the command's reason (one line, at most 1024 characters) and the \
            studies waiting for it store a failed trial of the architecture and propose others, \
            as `gpnav search --latency-command` does. It runs until stopped (or --max-measurements).

            Examples:
              gpnav worker --server http://gpu-host:8470 --study macs-300M \\
                  --command 'python train.py --config {config}' --token-file ~/.gpnav-token
              gpnav worker --server http://127.0.0.1:8470 --study demo --evaluator stub
              gpnav worker --server http://gpu-host:8470 --study digits \\
                  --evaluator-resumes --config-dir /shared/gpnav-digits \\
                  --command 'python -m gpnav_torch.train --config {config} --data /data'
              gpnav worker --server http://gpu-host:8470 --study macs-300M \\
                  --slots 4 --gpus 0,1,2,3 --token-file ~/.gpnav-token \\
                  --command 'python train.py --config {config}'
              gpnav worker --server http://gpu-host:8470 --measure-only \\
                  --device-name pixel-8 --latency-command \\
                  'python -m gpnav_torch.latency --config {config}'
            """
    )

    enum EvaluatorKind: String, ExpressibleByArgument, CaseIterable { case stub, command }

    @Option(help: ArgumentHelp("The server's base URL.", valueName: "url"))
    var server: String

    @Option(help: "The study to work on (not with --measure-only).")
    var study: String?

    @Flag(help: "Measure latencies only, for the studies whose latency budget names --device-name; train nothing.")
    var measureOnly = false

    @Option(help: ArgumentHelp("With --measure-only: the device this worker runs on, as the studies' latency budgets name it.",
                               valueName: "name"))
    var deviceName: String?

    @Option(help: ArgumentHelp("With --measure-only: the command that measures an architecture and prints one JSON line with "
                               + "latency_ms, e.g. 'python -m gpnav_torch.latency --config {config} --threads 1'.",
                               valueName: "command"))
    var latencyCommand: String?

    @Option(help: ArgumentHelp("With --measure-only: time limit of one measurement (default 600).", valueName: "seconds"),
            transform: ArgumentRange.seconds(positive: true))
    var latencyTimeout = Seconds(clamping: 600)

    @Option(help: "With --measure-only: stop after storing this many measurements.")
    var maxMeasurements: Int?

    @Option(help: ArgumentHelp("Training command run per trial through /bin/sh; {config}, {trial}, {study}, {epochs} and {slot} are substituted.",
                               valueName: "command"))
    var command: String?

    @Option(help: "stub (the training simulator, seeded with the study's seed) or command (the default; needs --command).")
    var evaluator: EvaluatorKind?

    @OptionGroup var tokenOptions: TokenOptions

    @Option(help: ArgumentHelp("How this worker names itself to the server (default: host:pid).", valueName: "id"))
    var workerId: String?

    @Option(help: "Stop after this many trials (of all slots together).")
    var maxTrials: Int?

    @Option(help: ArgumentHelp("Trials trained at once, 1 to 64 (default 1).", valueName: "n"), transform: ArgumentRange.count(1...64))
    var slots: Int = 1

    @Option(help: ArgumentHelp("GPU indices shared among the slots as CUDA_VISIBLE_DEVICES, e.g. 0,1,2,3.", valueName: "list"))
    var gpus: String?

    @Option(help: ArgumentHelp("Keep the trials' configs (and what the command writes beside them: checkpoints, weights, logs) in this directory (default: a temporary one, removed on exit). A trial that retries an abandoned one gets its checkpoint from here, so workers that share it resume each other's trainings.",
                               valueName: "directory"))
    var configDir: String?

    @Option(help: ArgumentHelp("Seconds a training command may run before it and its children are killed (default 86400, at most 365 days).",
                               valueName: "seconds"),
            transform: ArgumentRange.seconds(positive: true))
    var timeout = Seconds(clamping: 86_400)

    @Flag(help: "The training command, run again for a trial it trained before, goes on from its own checkpoint (gpnav_torch.train does): in a study with prune on, a stopped training is then paused and may be continued later, by a worker with this flag and the same --config-dir.")
    var evaluatorResumes = false

    var kind: EvaluatorKind { evaluator ?? .command }

    func validate() throws {
        _ = try serverURL()
        if measureOnly { return try validateMeasureOnly() }
        guard study != nil else { throw ValidationError("give the study to work on: --study NAME (or --measure-only)") }
        if deviceName != nil || latencyCommand != nil || maxMeasurements != nil {
            throw ValidationError("--device-name, --latency-command and --max-measurements need --measure-only")
        }
        switch kind {
        case .command where command?.trimmingCharacters(in: .whitespaces).isEmpty ?? true:
            throw ValidationError("give the training command: --command 'python train.py --config {config}' (or --evaluator stub)")
        case .stub where command != nil:
            throw ValidationError("--command needs --evaluator command (or no --evaluator)")
        default: break
        }
        if let maxTrials, maxTrials < 1 { throw ValidationError("--max-trials must be at least 1") }
        if let workerId, workerId.isEmpty || workerId.count > 200 { throw ValidationError("--worker-id must be 1 to 200 characters") }
        if gpus != nil, kind == .stub { throw ValidationError("--gpus needs a training command (--command)") }
        if evaluatorResumes, kind == .stub {
            throw ValidationError("--evaluator-resumes needs a training command (--command); the simulator always resumes")
        }
        if evaluatorResumes, configDir == nil {
            throw ValidationError("--evaluator-resumes needs --config-dir, where a continued trial's command finds its checkpoint again")
        }
        _ = try deviceSlots()
    }

    /// The flags of a measure-only worker: a device, a latency command, and nothing of training.
    func validateMeasureOnly() throws {
        guard let deviceName, !deviceName.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--measure-only needs the device it measures on: --device-name NAME")
        }
        guard let latencyCommand, !latencyCommand.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--measure-only needs --latency-command 'python -m gpnav_torch.latency --config {config}'")
        }
        if study != nil || command != nil || evaluator != nil || maxTrials != nil || gpus != nil || slots != 1 || evaluatorResumes {
            throw ValidationError("--measure-only trains nothing: leave out --study, --command, --evaluator, --evaluator-resumes, --max-trials, --slots and --gpus")
        }
        if let maxMeasurements, maxMeasurements < 1 { throw ValidationError("--max-measurements must be at least 1") }
    }

    /// --gpus for the slots, parsed by the library's rule; nil when not given.
    func deviceSlots() throws -> DeviceSlots? {
        guard let gpus else { return nil }
        do {
            return try DeviceSlots(parsing: gpus, slots: slots)
        } catch {
            throw ValidationError("--gpus: \(error.description)")
        }
    }

    /// --server, parsed by the library's rule.
    func serverURL() throws -> ServerURL {
        do {
            return try ServerURL(server)
        } catch {
            throw ValidationError("--server \(error.description)")
        }
    }

    func run() async throws {
        if measureOnly { return try await runMeasureOnly() }
        let study = study ?? ""
        let address = try serverURL()
        // Without --config-dir the trials' config files live as long as the worker.
        let temporary = configDir == nil
        let configDirectory = configDir.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("gpnav-worker-\(ProcessInfo.processInfo.processIdentifier)")
        defer { if temporary { try? FileManager.default.removeItem(at: configDirectory) } }
        let (kind, template, timeout, devices, resumes) = (kind, command ?? "", timeout, try deviceSlots(), evaluatorResumes)
        let loop = WorkerLoop(client: ServiceClient(server: address, token: try tokenOptions.token()),
                              study: study, workerID: workerId ?? WorkerIdentity.current,
                              maxTrials: maxTrials, slots: slots) { study -> any Evaluator in
            switch kind {
            // The study's seed, as `gpnav search --evaluator stub` takes it.
            case .stub: TrainingSimulator(seed: study.seed, noise: 0.15)
            case .command: CommandEvaluator(commandTemplate: template, timeout: timeout.duration, configDirectory: configDirectory,
                                            devices: devices, resumes: resumes)
            }
        }
        let task = Task { try await loop.run(events: Self.report) }
        let stop = WorkerStopSignals(task: task)
        let end = try await task.value
        if end == .stopped, let signal = stop.received {
            let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
            let message = "gpnav: error: interrupted by \(name); the running trial was reported abandoned, so the study trains it again\n"
            FileHandle.standardError.write(Data(message.utf8))
            if temporary { try? FileManager.default.removeItem(at: configDirectory) }
            Foundation.exit(128 + signal)
        }
    }

    /// The measure-only loop, until --max-measurements or a stop signal (exit 128 + the signal).
    func runMeasureOnly() async throws {
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpnav-measure-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let meter = LatencyCommand(commandTemplate: latencyCommand ?? "", timeout: latencyTimeout.duration,
                                   configDirectory: temporary)
        let loop = MeasureLoop(client: ServiceClient(server: try serverURL(), token: try tokenOptions.token()),
                               device: deviceName ?? "", meter: meter, maxMeasurements: maxMeasurements)
        let task = Task { try await loop.run(events: Self.report) }
        let stop = WorkerStopSignals(task: task)
        let end = try await task.value
        if end == .stopped, let signal = stop.received {
            try? FileManager.default.removeItem(at: temporary)
            Foundation.exit(128 + signal)
        }
    }

    /// One line on stderr per event of a measure-only worker.
    @Sendable static func report(_ event: MeasureEvent) {
        let line = switch event {
        case .measured(let study, let architecture, let ms, let readings):
            "measured \(architecture) for \(study): \(LatencyBudget.millisecondsText(ms)) ms"
                + (readings > 1 ? " (median of \(readings) readings)" : "")
        case .measurementFailed(let architecture, let reason, let failed):
            "measuring \(architecture) failed: \(reason); "
                + (failed.isEmpty ? "reported, no study waits for it now"
                    : "reported, failed " + failed.map { "trial \($0.trial) of \($0.study)" }.joined(separator: ", "))
        case .measurementRefused(let architecture, let detail): "measurement of \(architecture) refused: \(detail)"
        case .serverUnreachable(let detail, let wait): "server unreachable: \(detail); retrying in \(String(format: "%.2g", wait)) s"
        case .unknownDevice(let detail, let wait): "\(detail) yet; asking again in \(String(format: "%.2g", wait)) s"
        case .waiting(let seconds): "nothing to measure now; asking again in \(String(format: "%.2g", seconds)) s"
        }
        FileHandle.standardError.write(Data("gpnav worker: \(TerminalText.escaped(line))\n".utf8))
    }

    /// One line on stderr per event.
    @Sendable static func report(_ event: WorkerEvent) {
        let line = switch event {
        case .claimed(let study, let trial, let description, let slot, let resumedAfterEpoch):
            "trial \(trial) of \(study) (slot \(slot)): " + (resumedAfterEpoch.map { "continued after epoch \($0): " } ?? "") + description
        case .completed(let trial, let accuracy): "trial \(trial) complete: \(String(format: "%.2f", accuracy))%"
        case .failed(let trial, let reason): "trial \(trial) failed: \(reason)"
        case .pruned(let trial, let epoch, let resumable):
            "trial \(trial) \(resumable ? "paused or " : "")pruned by the study after epoch \(epoch); its command was stopped"
        case .serverUnreachable(let detail, let wait): "server unreachable: \(detail); retrying in \(String(format: "%.2g", wait)) s"
        case .resultRefused(let trial, let detail): "result of trial \(trial) refused: \(detail)"
        case .waiting(let seconds): "nothing to train now; asking again in \(String(format: "%.2g", seconds)) s"
        }
        // Details come from the server and the command: no control character reaches the terminal.
        FileHandle.standardError.write(Data("gpnav worker: \(TerminalText.escaped(line))\n".utf8))
    }
}

/// SIGTERM and SIGINT cancel the worker's loop and stop its training command (the command runs in
/// a process group of its own, out of reach of the terminal's Ctrl-C).
final class WorkerStopSignals: @unchecked Sendable {
    // The lock guards `signalNumber`; `sources` is written only in init.
    private let lock = NSLock()
    private var signalNumber: Int32?
    private var sources: [any DispatchSourceSignal] = []

    /// The signal that stopped the worker, if any.
    var received: Int32? { lock.withLock { signalNumber } }

    init<End: Sendable>(task: Task<End, any Error>) {
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                lock.withLock { signalNumber = signalNumber ?? number }
                task.cancel()
                RunningCommands.stopAll(grace: StopSignals.grace)
            }
            source.resume()
            sources.append(source)
        }
    }
}
#endif
