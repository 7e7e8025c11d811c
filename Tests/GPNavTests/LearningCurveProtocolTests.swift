import Foundation
import MobileViT
import Testing

@testable import GPNav

/// What a reporter was handed, in order.
private actor ReceivedReports {
    private(set) var reports: [EpochReport] = []
    func add(_ report: EpochReport) { reports.append(report) }
}

private func curveRequest(epochs: Int? = nil) throws -> EvaluationRequest {
    let architecture = try Architecture(resolution: 224, width: 0.75, mv2Depths: [1, 2], vitDepths: [2, 3, 3])
    return EvaluationRequest(architecture: architecture, macs: 812_345_678, params: 2_345_678, study: "curves",
                             trialNumber: 3, epochs: epochs)
}

/// Runs `evaluator` with a reporter that keeps what it is handed.
private func evaluate(_ evaluator: CommandEvaluator, epochs: Int? = nil)
    async -> (result: Result<EvaluationResult, EvaluationFailure>, reports: [EpochReport]) {
    let received = ReceivedReports()
    let result: Result<EvaluationResult, EvaluationFailure>
    do throws(EvaluationFailure) {
        let request = try? curveRequest(epochs: epochs)
        guard let request else { throw EvaluationFailure(reason: "no request") }
        result = .success(try await evaluator.evaluate(request) { report in
            await received.add(report)
            return .proceed
        })
    } catch {
        result = .failure(error)
    }
    return (result, await received.reports)
}

@Suite struct LearningCurveProtocolTests {
    @Test func intermediateLinesReachTheReporterInOrderAndTheLastLineWithoutEpochIsTheResult() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let train = try box.script("train.sh", """
            echo 'loading data'
            echo '{"epoch": 1, "accuracy": 10.5}'
            echo '{"epoch": 2, "accuracy": 35.25, "loss": 2.1}'
            echo '{"epoch": 3, "accuracy": 51}'
            echo '{"accuracy": 50.5, "epochs": 3}'
            """)
        let (result, reports) = await evaluate(box.evaluator(train), epochs: 3)
        #expect(reports == [EpochReport(epoch: 1, accuracy: 10.5), EpochReport(epoch: 2, accuracy: 35.25),
                            EpochReport(epoch: 3, accuracy: 51)])
        let evaluation = try result.get()
        #expect(evaluation.accuracy == 50.5)
        #expect(evaluation.metrics == ["epochs": 3])
    }

    @Test func aReportReachesTheReporterWhileTheCommandStillRuns() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let seen = box.file("seen")
        // The command waits (up to 300 s, a bound for loaded machines only) for the reporter to have
        // the first report before it ends:
        // a runner that handed reports on only at the end would make it print 0.
        let train = try box.script("train.sh", """
            echo '{"epoch": 1, "accuracy": 20}'
            i=0
            while [ ! -e \(CommandEvaluator.shellQuoted(seen.path)) ] && [ $i -lt 3000 ]; do sleep 0.1; i=$((i+1)); done
            if [ -e \(CommandEvaluator.shellQuoted(seen.path)) ]; then echo '{"accuracy": 60}'; else echo '{"accuracy": 0}'; fi
            """)
        let request = try curveRequest()
        let result = try await box.evaluator(train, timeout: .seconds(600)).evaluate(request) { _ in
            FileManager.default.createFile(atPath: seen.path, contents: Data())
            return .proceed
        }
        #expect(result.accuracy == 60)
    }

    @Test func aCommandThatPrintsNoIntermediateLinesWorksAsBeforeAndReportsNothing() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let (result, reports) = await evaluate(box.evaluator(#"echo '{"accuracy": 71.5}'"#))
        #expect(try result.get().accuracy == 71.5)
        #expect(reports.isEmpty)
    }

    @Test(arguments: [
        (#"{"epoch": 2, "accuracy": 10}"# + "\n" + #"{"epoch": 1, "accuracy": 12}"#, "stdout line 3: epoch 1 is reported after epoch 2"),
        (#"{"epoch": 1, "accuracy": 10}"# + "\n" + #"{"epoch": 1, "accuracy": 12}"#, "stdout line 3: epoch 1 is reported twice"),
        (#"{"epoch": 1.5, "accuracy": 10}"#, "stdout line 2: \"epoch\" is not a whole number"),
        (#"{"epoch": "1", "accuracy": 10}"#, "stdout line 2: \"epoch\" is not a whole number"),
        (#"{"epoch": 0, "accuracy": 10}"#, "stdout line 2: epoch 0 is outside 1...10000"),
        (#"{"epoch": 10001, "accuracy": 10}"#, "stdout line 2: epoch 10001 is outside 1...10000"),
        (#"{"epoch": 1, "accuracy": NaN}"#, "stdout line 2: an intermediate report is not valid JSON"),
        (#"{"epoch": 1, "epoch": 2, "accuracy": 3}"#, "stdout line 2: an intermediate report is not valid JSON"),
        (#"{"epoch": 1, "accuracy": 100.5}"#, "stdout line 2: accuracy 100.5 at epoch 1 is not a finite percentage"),
        (#"{"epoch": 1, "accuracy": -1}"#, "stdout line 2: accuracy -1.0 at epoch 1 is not a finite percentage"),
        (#"{"epoch": 1}"#, "stdout line 2: the report of epoch 1 has no numeric \"accuracy\""),
        (#"{"epoch": 1, "accuracy": "high"}"#, "stdout line 2: the report of epoch 1 has no numeric \"accuracy\""),
        (#"{"epoch": 5, "accuracy": 10}"#, "stdout line 2: epoch 5 is beyond the study's training length of 4 epochs"),
    ])
    func aBadIntermediateLineFailsTheTrialNamingItsLineAndEndsTheCurve(lines: String, reason: String) async throws {
        let box = try Sandbox()
        defer { box.remove() }
        // A result follows the bad line, and a good report after it is not handed on.
        let printed = lines.split(separator: "\n").map { "printf '%s\\n' " + CommandEvaluator.shellQuoted(String($0)) }
        let train = try box.script("train.sh", (["echo start"] + printed
            + [#"echo '{"epoch": 4, "accuracy": 30}'"#, #"echo '{"accuracy": 70}'"#]).joined(separator: "\n"))
        let (result, reports) = await evaluate(box.evaluator(train), epochs: 4)
        guard case .failure(let failure) = result else {
            Issue.record("expected a failure for \(lines)")
            return
        }
        #expect(failure.reason.hasPrefix(reason), "\(failure.reason)")
        #expect(failure.reason.contains("the learning curve was not read further"))
        #expect(!reports.contains { $0.epoch == 4 })
    }

    @Test func theTrainingLengthReachesTheCommandAsPlaceholderVariableAndConfigKey() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let train = try box.script("train.sh", """
            printf '%s %s ' "$1" "$GPNAV_EPOCHS" > seen.txt
            grep -o '"epochs":[0-9]*' "$GPNAV_CONFIG" >> seen.txt
            echo '{"accuracy": 50}'
            """)
        _ = try await box.evaluator("\(train) {epochs}").evaluate(try curveRequest(epochs: 27))
        let seen = try String(contentsOf: box.file("seen.txt"), encoding: .utf8)
        #expect(seen == "27 27 \"epochs\":27\n")
    }

    @Test func aCommandThatUsesEpochsInAStudyWithoutATrainingLengthFailsWithoutRunning() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let (result, _) = await evaluate(box.evaluator("touch ran; echo {epochs}"))
        guard case .failure(let failure) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.reason == "the command uses {epochs}, but the study sets no training length in epochs")
        #expect(!FileManager.default.fileExists(atPath: box.file("ran").path))
        // Without a length the variable is absent, and an escaped placeholder is text.
        let (plain, _) = await evaluate(box.evaluator(#": \{epochs}; test -z "${GPNAV_EPOCHS+set}" && echo '{"accuracy": 1}'"#))
        #expect(try plain.get().accuracy == 1)
    }
}
