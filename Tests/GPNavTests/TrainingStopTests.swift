import Foundation
import MobileViT
import Synchronization
import Testing

@testable import GPNav

#if canImport(Glibc)
import Glibc
#endif

/// Stopping a running training on request (a pruned trial): the whole process group goes,
/// SIGTERM first and SIGKILL after the grace period, and the evaluator says "stopped".
@Suite struct TrainingStopTests {
    /// The pid written to `name` in the sandbox, once the command has written it (up to 10 s).
    func pid(_ box: Sandbox, _ name: String) async throws -> pid_t {
        for _ in 0..<200 {
            if let text = try? String(contentsOf: box.file(name), encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return pid }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("\(name) was never written")
        return -1
    }

    func request(_ stop: TrainingStop) throws -> EvaluationRequest {
        let architecture = try Architecture(resolution: 224, width: 0.75, mv2Depths: [1, 2], vitDepths: [2, 3, 3])
        return EvaluationRequest(architecture: architecture, macs: 1, params: 1, study: "stop", trialNumber: 3, stop: stop)
    }

    @Test func aStopEndsACommandThatIgnoresSIGTERMAndItsChildAfterTheGrace() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        // The command's shell, the script and its child all ignore SIGTERM (an ignored signal
        // stays ignored across fork and exec).
        let train = try box.script("train.sh", """
            sleep 60 &
            echo $! > child.pid
            echo $$ > command.pid
            echo '{"epoch": 1, "accuracy": 20}'
            wait
            echo '{"accuracy": 70}'
            """)
        let stop = TrainingStop()
        let evaluator = box.evaluator("trap '' TERM; " + train)
        let stoppable = try request(stop)
        let evaluation = Task { () -> Result<EvaluationResult, EvaluationFailure> in
            do throws(EvaluationFailure) { return .success(try await evaluator.evaluate(stoppable)) } catch { return .failure(error) }
        }
        let command = try await pid(box, "command.pid")
        let child = try await pid(box, "child.pid")
        #expect(isAlive(command) && isAlive(child))
        let asked = ContinuousClock.now
        stop.request()
        let outcome = await evaluation.value
        let waited = ContinuousClock.now - asked
        guard case .failure(let failure) = outcome else {
            Issue.record("a stopped training gave a result")
            return
        }
        #expect(failure.kind == .stopped)
        #expect(failure.reason.hasPrefix("stopped on request"))
        #expect(failure.output?.contains("\"epoch\": 1") == true)
        // SIGTERM is ignored, so only SIGKILL after the 0.3 s grace ends them.
        #expect(waited >= .milliseconds(300))
        for (name, pid) in [("command", command), ("child", child)] {
            var alive = isAlive(pid)
            for _ in 0..<100 where alive {
                try await Task.sleep(for: .milliseconds(50))
                alive = isAlive(pid)
            }
            #expect(!alive, "the \(name) \(pid) survived the stop")
        }
    }

    @Test func aStopAskedBeforeTheStartEndsTheCommandAtOnce() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let stop = TrainingStop()
        stop.request()
        // A command that ran to its end would print an accuracy: the stop must come first. (No
        // wall-clock bound: on a loaded machine the spawn alone can wait behind other tests.)
        do {
            let result = try await box.evaluator("sleep 30; echo '{\"accuracy\": 50}'").evaluate(try request(stop))
            Issue.record("a stopped training gave accuracy \(result.accuracy)")
        } catch let failure as EvaluationFailure {
            #expect(failure.kind == .stopped)
        }
    }

    @Test func aPruneAnswerToAReportStopsTheCommandAndItsChildWithNoOrphanLeft() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let train = try box.script("train.sh", """
            sleep 60 &
            echo $! > child.pid
            echo $$ > command.pid
            echo '{"epoch": 1, "accuracy": 20}'
            echo '{"epoch": 2, "accuracy": 21}'
            wait
            echo '{"epoch": 3, "accuracy": 22}'
            echo '{"accuracy": 70}'
            """)
        let seen = Mutex<[Int]>([])
        // No stop in the request: the answer to the report alone must stop the command.
        var unstoppable = try request(TrainingStop())
        unstoppable.stop = nil
        let evaluation = Task { [unstoppable] () -> Result<EvaluationResult, EvaluationFailure> in
            do throws(EvaluationFailure) {
                return .success(try await box.evaluator(train).evaluate(unstoppable) { report in
                    seen.withLock { $0.append(report.epoch) }
                    return report.epoch >= 2 ? .prune : .proceed
                })
            } catch { return .failure(error) }
        }
        let command = try await pid(box, "command.pid")
        let child = try await pid(box, "child.pid")
        guard case .failure(let failure) = await evaluation.value else {
            Issue.record("a pruned training gave a result")
            return
        }
        #expect(failure.kind == .stopped)
        #expect(seen.withLock { $0 } == [1, 2])
        for (name, pid) in [("command", command), ("child", child)] {
            var alive = isAlive(pid)
            for _ in 0..<100 where alive {
                try await Task.sleep(for: .milliseconds(50))
                alive = isAlive(pid)
            }
            #expect(!alive, "the \(name) \(pid) survived the prune")
        }
    }

    @Test func aCommandThatEndsByItselfIsNotStopped() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let stop = TrainingStop()
        let result = try await box.evaluator("echo '{\"accuracy\": 50}'").evaluate(try request(stop))
        stop.request()
        #expect(result.accuracy == 50)
    }

    @Test func aFailureIsNotAStop() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        do {
            _ = try await box.evaluator("exit 3").evaluate(try request(TrainingStop()))
            Issue.record("exit 3 gave a result")
        } catch let failure as EvaluationFailure {
            #expect(failure.kind == .failed)
        }
    }
}
