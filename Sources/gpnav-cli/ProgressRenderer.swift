import Foundation
import GPNav
import MobileViT

/// Renders search progress on stderr: one live line on a terminal, plain lines otherwise.
final class ProgressRenderer: @unchecked Sendable {
    private let lock = NSLock()
    private var target: Int
    private var budget: Budget
    /// The study's settings, which say what accuracy its best is ranked by.
    private var settings: StudySettings?
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let startTime = Date()
    private var liveLineShown = false

    init() {
        target = 0
        budget = Budget()
    }

    func handle(_ event: SearchEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .began(let study, let resumed, let complete, let failedStale, let evaluator):
            target = study.targetTrials
            budget = study.budget
            settings = study.settings
            var line = resumed ? "resuming study '\(study.name)' at \(complete) of \(target) complete trials"
                               : "study '\(study.name)': budget \(describe(study.budget)), \(target) trials"
            if let latency = study.settings.latency { line += "; latency \(latency.text)" }
            line += "; evaluator: \(evaluator)"
            if failedStale > 0 { line += "; gave up \(failedStale) abandoned running trial(s)" }
            emit(line, permanent: true)
        case .settingAdjusted(let text):
            emit("note: \(text)", permanent: true)
        case .trialStarted(let trial, let phase):
            // On a terminal the live line shows it until the result replaces it; in a log a real
            // training runs for hours, so the start gets a line of its own.
            emit("trial \(trial.number) started (\(label(phase, trial.proposal))): \(trial.architecture), \(Quantity.formatCount(trial.macs)) MACs  [search \(elapsed)]",
                 permanent: !isTerminal)
        case .epochReported(let number, let report):
            // Only the live line: a log keeps the curve in the store, not one line per epoch.
            if isTerminal {
                emit("trial \(number): epoch \(report.epoch), \(String(format: "%.2f%%", report.accuracy))  [search \(elapsed)]",
                     permanent: false)
            }
        case .trialFinished(let trial, let phase, let best, let complete):
            let result = switch trial.state {
            case .complete: String(format: "%.2f%%", trial.accuracy ?? 0)
            case .pruned: "PRUNED: \(trial.error ?? "stopped early")"
            default: "FAILED: \(trial.error ?? "unknown")"
            }
            let bestText = best.map(bestText) ?? "best -"
            emit("[\(complete)/\(target)] trial \(trial.number) \(label(phase, trial.proposal)): \(trial.architecture), \(Quantity.formatCount(trial.macs)) MACs -> \(result); \(bestText)  [trial \(duration(of: trial)); search \(elapsed)]",
                 permanent: !isTerminal || trial.state != .complete)
        case .retrainingStarted(let trial, let seed):
            emit("trial \(trial.number) started (retraining with seed \(seed)): \(trial.architecture)  [search \(elapsed)]",
                 permanent: !isTerminal)
        case .retrainingFinished(let trial, let seed):
            let result = trial.state == .complete
                ? String(format: "%.2f%%", trial.accuracy ?? 0)
                : "FAILED: \(trial.error ?? "unknown")"
            emit("trial \(trial.number) retraining with seed \(seed): \(trial.architecture) -> \(result)  [trial \(duration(of: trial)); search \(elapsed)]",
                 permanent: true)
        }
    }

    /// Ends the live line so that what follows starts on a fresh line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if liveLineShown { StandardStreams.writeError("\n") }
        liveLineShown = false
    }

    /// Time since the search started.
    private var elapsed: String { Self.format(seconds: Date().timeIntervalSince(startTime)) }

    /// The trial's own time, from its start to its result as stored.
    /// The best trial as the study ranks it: an 8-bit study by its int8 accuracy.
    private func bestText(_ best: Trial) -> String {
        guard let settings, settings.ranksByInt8Accuracy else {
            return String(format: "best %.2f%% (trial %d)", best.accuracy ?? 0, best.number)
        }
        return String(format: "best %.2f%% int8 (trial %d)", settings.rankingAccuracy(of: best) ?? 0, best.number)
    }

    private func duration(of trial: Trial) -> String {
        Self.format(seconds: (trial.finishedAt ?? Date()).timeIntervalSince(trial.startedAt))
    }

    static func format(seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e9 else { return "?" }
        let seconds = max(0, seconds)
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3_600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3_600) h \(whole % 3_600 / 60) min"
    }

    private func label(_ phase: SearchPhase, _ proposal: Proposal) -> String {
        switch phase {
        case .downsizing: proposal.kind == .start ? "start model" : "downsizing step \(proposal.step ?? 0)"
        case .gaussianProcess: "GP expected improvement"
        case .random: "random"
        }
    }

    private func emit(_ line: String, permanent: Bool) {
        // Study names, evaluator summaries and errors come from data: escape their control characters.
        let line = TerminalText.escaped(line)
        var text = ""
        if isTerminal {
            text += "\r\u{1B}[K"
            if permanent {
                text += line + "\n"
                liveLineShown = false
            } else {
                text += String(line.prefix(terminalWidth - 1))
                liveLineShown = true
            }
        } else {
            text = line + "\n"
        }
        // Progress is best effort: a search whose stderr is gone still runs and stores its trials.
        StandardStreams.writeError(text)
    }

    private var terminalWidth: Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 else { return 100 }
        return Int(size.ws_col)
    }
}
