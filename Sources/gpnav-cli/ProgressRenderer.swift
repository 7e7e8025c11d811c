import Foundation
import GPNav
import MobileViT

/// Renders search progress on stderr: one live line on a terminal, plain lines otherwise.
final class ProgressRenderer: @unchecked Sendable {
    private let lock = NSLock()
    private var target: Int
    private var budget: Budget
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
            var line = resumed ? "resuming study '\(study.name)' at \(complete) of \(target) complete trials"
                               : "study '\(study.name)': budget \(describe(study.budget)), \(target) trials"
            line += "; evaluator: \(evaluator)"
            if failedStale > 0 { line += "; marked \(failedStale) abandoned running trial(s) failed" }
            emit(line, permanent: true)
        case .settingAdjusted(let text):
            emit("note: \(text)", permanent: true)
        case .trialStarted(let trial, let phase):
            if isTerminal {
                emit("trial \(trial.number) running (\(label(phase, trial.proposal))): \(trial.architecture), \(Quantity.formatCount(trial.macs)) MACs  [\(elapsed)]", permanent: false)
            }
        case .trialFinished(let trial, let phase, let best, let complete):
            let result = trial.state == .complete
                ? String(format: "%.2f%%", trial.accuracy ?? 0)
                : "FAILED: \(trial.error ?? "unknown")"
            let bestText = best.map { String(format: "best %.2f%% (trial %d)", $0.accuracy ?? 0, $0.number) } ?? "best -"
            emit("[\(complete)/\(target)] trial \(trial.number) \(label(phase, trial.proposal)): \(trial.architecture), \(Quantity.formatCount(trial.macs)) MACs -> \(result); \(bestText)  [\(elapsed)]",
                 permanent: !isTerminal || trial.state != .complete)
        }
    }

    /// Ends the live line so that what follows starts on a fresh line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if liveLineShown { StandardStreams.writeError("\n") }
        liveLineShown = false
    }

    private var elapsed: String { String(format: "%.1f s", Date().timeIntervalSince(startTime)) }

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
