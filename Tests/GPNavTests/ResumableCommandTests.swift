import Foundation
import MobileViT
import Testing

@testable import GPNav

/// What a reporter was handed, in order.
private actor HandedReports {
    private(set) var epochs: [Int] = []
    func add(_ report: EpochReport) { epochs.append(report.epoch) }
}

/// A training command that resumes as gpnav_torch.train does: it keeps the epochs it trained in a
/// state file beside its config, prints that curve again when run again, then trains on. After
/// each epoch it waits (a bounded wait, for loaded machines) for the reporter's go-ahead, a file
/// `go-<epoch>` in the sandbox, so a prune answer reaches it before the next epoch, whatever the load.
private func resumableTrainer(_ box: Sandbox, epochs: Int = 5) throws -> String {
    let go = CommandEvaluator.shellQuoted(box.root.path + "/go-")
    return try box.script("train.sh", """
        state="$GPNAV_CONFIG.state"
        done=0
        if [ -f "$state" ]; then done=$(cat "$state"); fi
        i=1
        while [ $i -le $done ]; do echo "{\\"epoch\\": $i, \\"accuracy\\": $((i * 10))}"; i=$((i + 1)); done
        while [ $i -le \(epochs) ]; do
            echo $i > "$state"
            echo "{\\"epoch\\": $i, \\"accuracy\\": $((i * 10))}"
            n=0
            while [ ! -e \(go)$i ] && [ $n -lt 3000 ]; do sleep 0.1; n=$((n + 1)); done
            i=$((i + 1))
        done
        echo '{"accuracy": 50}'
        """)
}

private func trialRequest(resumedAfterEpoch: Int? = nil) throws -> EvaluationRequest {
    let architecture = try Architecture(resolution: 224, width: 0.75, mv2Depths: [1, 2], vitDepths: [2, 3, 3])
    return EvaluationRequest(architecture: architecture, macs: 812_345_678, params: 2_345_678, study: "paused",
                             trialNumber: 4, epochs: 5, resumedAfterEpoch: resumedAfterEpoch)
}

private func resumingEvaluator(_ box: Sandbox, _ template: String, resumes: Bool = true) -> CommandEvaluator {
    CommandEvaluator(commandTemplate: template, timeout: .seconds(600), workingDirectory: box.root,
                     configDirectory: box.root.appendingPathComponent("configs"), terminationGrace: .milliseconds(300),
                     resumes: resumes)
}

@Suite("Training commands that resume")
struct ResumableCommandTests {
    @Test func aCommandResumesOnlyWhenTheUserSaysSo() throws {
        let box = try Sandbox()
        defer { box.remove() }
        #expect(resumingEvaluator(box, "true").canResume)
        #expect(!resumingEvaluator(box, "true", resumes: false).canResume)
    }

    @Test func aPausedCommandRunAgainReportsOnlyTheEpochsAfterThePauseAndItsResult() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let evaluator = resumingEvaluator(box, try resumableTrainer(box))
        let first = HandedReports()
        do {
            let result = try await evaluator.evaluate(try trialRequest()) { report in
                await first.add(report)
                guard report.epoch < 2 else { return .prune }
                FileManager.default.createFile(atPath: box.root.path + "/go-\(report.epoch)", contents: Data())
                return .proceed
            }
            Issue.record("expected the stop, got accuracy \(result.accuracy)")
        } catch let failure as EvaluationFailure {
            #expect(failure.kind == .stopped)
        }
        #expect(await first.epochs == [1, 2])

        let second = HandedReports()
        let result = try await evaluator.evaluate(try trialRequest(resumedAfterEpoch: 2)) { report in
            await second.add(report)
            FileManager.default.createFile(atPath: box.root.path + "/go-\(report.epoch)", contents: Data())
            return .proceed
        }
        // The command printed epochs 1 and 2 again before it trained 3 to 5; only 3 to 5 are new.
        #expect(await second.epochs == [3, 4, 5])
        #expect(result.accuracy == 50)
    }

    @Test func twoCommandsOfOneTrialNeverRunAtOnce() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        // Each run holds a lock directory beside the config for a second; a run that finds it
        // taken reports 0.
        let train = try box.script("train.sh", """
            lock="$GPNAV_CONFIG.lock"
            if ! mkdir "$lock" 2>/dev/null; then echo '{"accuracy": 0}'; exit 0; fi
            sleep 1
            rmdir "$lock"
            echo '{"accuracy": 70}'
            """)
        let evaluator = resumingEvaluator(box, train)
        async let one = evaluator.evaluate(try trialRequest())
        async let two = evaluator.evaluate(try trialRequest(resumedAfterEpoch: 1))
        let accuracies = try await [one.accuracy, two.accuracy]
        #expect(accuracies == [70, 70])
    }
}

@Suite("Training commands that resume: their environment")
struct ResumableCommandEnvironmentTests {
    @Test func aContinuedTrialsCommandIsToldTheEpochsItTrainedAndAFreshOneIsNot() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let train = try box.script("train.sh", #"echo "{\"accuracy\": ${GPNAV_RESUME_EPOCH:-0}}""#)
        let evaluator = resumingEvaluator(box, train)
        #expect(try await evaluator.evaluate(try trialRequest(resumedAfterEpoch: 3)).accuracy == 3)
        #expect(try await evaluator.evaluate(try trialRequest()).accuracy == 0)
    }
}

@Suite("Training commands that resume: a search that pauses them")
struct ResumableCommandSearchTests {
    @Test func aPruningSearchWithAResumingCommandKeepsOneCurvePerTrialAndCountsEachEpochOnce() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        // Accuracy ends higher the higher the resolution, but rises more slowly there (so many
        // trainings are paused early), the same curve however often the command is stopped: it
        // keeps its epochs in a state file beside the config, prints them again when run again,
        // then trains on.
        let train = try box.script("train.sh", #"""
            state="$GPNAV_CONFIG.state"
            done=0
            if [ -f "$state" ]; then done=$(cat "$state"); fi
            res=$(awk -F'"resolution":' '{ split($2, a, ","); print a[1] }' "$GPNAV_CONFIG")
            i=1
            while [ $i -le "$GPNAV_EPOCHS" ]; do
                if [ $i -gt $done ]; then sleep 0.05; echo $i > "$state"; fi
                awk -v r="$res" -v e=$i -v n="$GPNAV_EPOCHS" 'BEGIN { printf "{\"epoch\": %d, \"accuracy\": %.4f}\n", e, (30 + 0.15 * r) * (1 - exp(-3 * e / n * (128 / r) ^ 2)) }'
                i=$((i + 1))
            done
            awk -v r="$res" 'BEGIN { printf "{\"accuracy\": %.4f}\n", (30 + 0.15 * r) * (1 - exp(-3 * (128 / r) ^ 2)) }'
            """#)
        let evaluator = resumingEvaluator(box, train)
        let store = try SQLiteTrialStore(path: box.root.path + "/s.sqlite", access: .readWrite(createIfMissing: true))
        var configuration = SearchConfiguration(studyName: "s", settings: StudySettings(
            budget: Budget(macs: 100_000_000), targetTrials: 10, seed: 1, epochs: 9, prune: true))
        _ = try await ArchitectureSearch(store: store, evaluator: evaluator, configuration: configuration).run()
        configuration.resume = true
        configuration.settings.targetTrials = 14
        let report = try await ArchitectureSearch(store: store, evaluator: evaluator, configuration: configuration).run()

        let curves = try store.learningCurves(study: "s")
        var lastEpochs = 0
        for trial in report.trials {
            let epochs = (trial.id.flatMap { curves[$0] } ?? []).map(\.epoch)
            #expect(epochs == Array(1...9).prefix(epochs.count).map { $0 }, "trial \(trial.number): one curve from epoch 1")
            lastEpochs += epochs.last ?? 0
        }
        #expect(report.trials.contains { $0.state == .pruned }, "some training was paused")
        #expect(report.trials.allSatisfy { $0.state == .complete || $0.state == .pruned })
        #expect(report.epochAccount?.total == lastEpochs, "each epoch once")
    }
}

@Suite("Training commands that resume: one at a time across processes")
struct TrialFileLockTests {
    /// The lock file of `trialRequest()`'s trial in `resumingEvaluator`'s configuration directory.
    private func lockFile(_ box: Sandbox) throws -> URL {
        let request = try trialRequest()
        return TrialFiles(directory: box.root.appendingPathComponent("configs"), study: request.study,
                          trial: request.trialNumber).lock
    }

    @Test func aTrialsLockHasOneHolderAtATime() throws {
        let box = try Sandbox()
        defer { box.remove() }
        let url = try lockFile(box)
        guard let held = try TrialFileLock.tryAcquire(at: url) else {
            Issue.record("a free lock was not taken")
            return
        }
        // A second open of the file is what another process would hold: flock excludes it too.
        #expect(try TrialFileLock.tryAcquire(at: url) == nil)
        held.release()
        let again = try TrialFileLock.tryAcquire(at: url)
        #expect(again != nil)
    }

    @Test func aLockThatCannotBeOpenedIsAnErrorNamingIt() throws {
        let box = try Sandbox()
        defer { box.remove() }
        let file = box.root.appendingPathComponent("not-a-folder")
        try Data().write(to: file)
        let url = file.appendingPathComponent("t.lock")
        let error = #expect(throws: TrialFileLockError.self) { _ = try TrialFileLock.tryAcquire(at: url) }
        #expect(error?.description.hasPrefix("cannot lock \(url.path): ") == true)
    }

    /// Another holder of the trial's lock (a worker in another process whose stopped command is
    /// still exiting) keeps a resuming evaluator's command from starting until it lets go.
    @Test(.timeLimit(.minutes(1))) func aResumingCommandWaitsForTheTrialsLockHeldElsewhere() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let order = box.root.appendingPathComponent("order").path
        let train = try box.script("train.sh", """
            echo ran >> \(CommandEvaluator.shellQuoted(order))
            echo '{"accuracy": 70}'
            """)
        guard let held = try TrialFileLock.tryAcquire(at: try lockFile(box)) else {
            Issue.record("a free lock was not taken")
            return
        }
        let evaluator = resumingEvaluator(box, train)
        let request = try trialRequest(resumedAfterEpoch: 1)
        let continued = Task { try await evaluator.evaluate(request).accuracy }
        // Long enough for the command to have run many times over had it not waited.
        try await Task.sleep(for: .milliseconds(700))
        try Data("released\n".utf8).write(to: URL(fileURLWithPath: order))
        held.release()
        #expect(try await continued.value == 70)
        #expect(try String(contentsOfFile: order, encoding: .utf8) == "released\nran\n")
    }

    @Test(.timeLimit(.minutes(1))) func aCommandThatDoesNotResumeTakesNoLock() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        guard let held = try TrialFileLock.tryAcquire(at: try lockFile(box)) else {
            Issue.record("a free lock was not taken")
            return
        }
        let evaluator = resumingEvaluator(box, "echo '{\"accuracy\": 61}'", resumes: false)
        #expect(try await evaluator.evaluate(try trialRequest()).accuracy == 61)
        held.release()
    }
}

@Suite("Training commands that resume: a trial's lock file is its own")
struct TrialFileLockLinkTests {
    @Test func aLockFileThatIsASymbolicLinkIsRefusedAndNothingIsCreatedWhereItPoints() throws {
        let box = try Sandbox()
        defer { box.remove() }
        let target = box.root.appendingPathComponent("elsewhere")
        let link = box.root.appendingPathComponent("t.lock")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let error = #expect(throws: TrialFileLockError.self) { _ = try TrialFileLock.tryAcquire(at: link) }
        #expect(error?.description.hasPrefix("cannot lock \(link.path): ") == true)
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }
}
