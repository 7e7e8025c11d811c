import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Training commands that misbehave: each becomes a failed trial with its reason, the search goes
/// on, and `--max-failures` stops it with a clear message and exit code 6.
@Suite("Evaluator faults")
struct EvaluatorFaultTests {
    /// A misbehaving training script and a piece of the reason its trial must record.
    struct Fault: CustomTestStringConvertible, Sendable {
        var name: String
        var script: String
        var reason: String
        var testDescription: String { name }
    }

    static let faults: [Fault] = [
        Fault(name: "non-zero exit", script: "echo 'CUDA out of memory' >&2\nexit 3", reason: "exited with status 3; stderr: CUDA out of memory"),
        Fault(name: "killed by a signal", script: "kill -9 $$", reason: "killed by signal 9"),
        Fault(name: "output without JSON", script: "echo 'epoch 1: loss 2.3'\necho done", reason: "printed no JSON line"),
        Fault(name: "JSON without accuracy", script: #"echo '{"loss": 1.2}'"#, reason: "\"accuracy\" key"),
        Fault(name: "NaN accuracy", script: #"echo '{"accuracy": NaN}'"#, reason: "is not valid JSON: NaN is not a JSON number"),
        Fault(name: "Infinity accuracy", script: #"echo '{"accuracy": -Infinity}'"#, reason: "is not valid JSON: Infinity is not a JSON number"),
        Fault(name: "NaN accuracy as text", script: #"echo '{"accuracy": "NaN"}'"#, reason: "not a number"),
        Fault(name: "overflowing accuracy", script: #"echo '{"accuracy": 1e999}'"#, reason: "reported accuracy inf is not finite"),
        Fault(name: "hexadecimal accuracy", script: #"echo '{"accuracy": 0x4A}'"#, reason: "not a JSON number"),
        Fault(name: "accuracy given twice", script: #"echo '{"accuracy": 12, "loss": 1, "accuracy": 88}'"#,
              reason: "duplicate key \"accuracy\""),
        Fault(name: "negative accuracy", script: #"echo '{"accuracy": -3}'"#, reason: "outside 0...100"),
        Fault(name: "accuracy above 100", script: #"echo '{"accuracy": 100.5}'"#, reason: "outside 0...100"),
        Fault(name: "a command that does not exist", script: "/no/such/trainer --config x", reason: "command not found"),
    ]

    @Test(arguments: faults)
    func eachFaultIsAFailedTrialWithItsReason(_ fault: Fault) async throws {
        let fixture = try CLIFixture()
        let script = try Reliability.script(fixture, "train.sh", fault.script)
        let output = try await fixture.runner.run(["evaluate", "--model", "mobilevitv2-0.5", "--study", "faults",
                                             "--evaluator-command", script, "--evaluator-timeout", "20"])
        #expect(output.status == 6, "\(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
        #expect(output.stderr.contains(fault.reason), "\(output.stderr)")
        let trials = try await Reliability.trials(fixture)
        #expect(trials.count == 1)
        #expect(trials.first?.state == "failed")
        #expect(trials.first?.accuracy == nil)
        #expect(trials.first?.error?.contains(fault.reason) == true, "\(String(describing: trials.first?.error))")
    }

    @Test func aHangingCommandIsKilledWithItsChildrenAtTheTimeout() async throws {
        let fixture = try CLIFixture()
        // The script starts a child that would outlive it, records its pid, then hangs.
        let script = try Reliability.script(fixture, "hang.sh", "sleep 60 &\necho $! > child.pid\nsleep 60")
        let output = try await fixture.runner.run(["evaluate", "--model", "mobilevitv2-0.5", "--evaluator-command",
                                             "cd \(fixture.directory) && \(script)", "--evaluator-timeout", "1"])
        #expect(output.seconds < 30)
        #expect(output.status == 6)
        #expect(output.stderr.contains("timed out after 1 s"), "\(output.stderr)")
        let pidText = try String(contentsOfFile: fixture.file("child.pid"), encoding: .utf8)
        let pid = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        // The child is gone (or a zombie waiting for init to reap it): it no longer runs.
        let gone = try await Reliability.wait(upTo: 5) {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            return stat.contains(") Z ")
        }
        #expect(gone, "the evaluator's child \(pid) still runs")
        if !gone { Glibc.kill(pid, SIGKILL) }
        await #expect(try Reliability.trials(fixture).first?.error?.contains("timed out") == true)
    }

    @Test func hugeOutputIsKeptBoundedAndTheResultStillCounts() async throws {
        let fixture = try CLIFixture()
        // About 10 MB of log (its last line cut short), then the result line.
        let script = try Reliability.script(fixture, "chatty.sh", """
            yes 'epoch 1/300: loss 2.302585 accuracy 0.1 lr 0.002 eta 3d 4h' | head -c 10000000
            echo
            echo '{"accuracy": 70.25, "loss": 1.1}'
            """)
        let output = try await fixture.runner.run(["evaluate", "--model", "mobilevitv2-0.5", "--evaluator-command", script])
        #expect(output.status == 0, "\(output.stderr)")
        let trial = try await #require(try Reliability.trials(fixture).first)
        #expect(trial.state == "complete")
        #expect(trial.accuracy == 70.25)
        let kept = trial.evaluatorOutput?.utf8.count ?? 0
        #expect(kept > 1000 && kept < 128 * 1024, "kept \(kept) bytes of output")
    }

    @Test func failedTrialsDoNotStopTheSearchBelowMaxFailures() async throws {
        let fixture = try CLIFixture()
        // Trials 1 and 3 fail; every other trial reports an accuracy from its MACs.
        let script = try Reliability.script(fixture, "flaky.sh", """
            case "$1" in 1|3) echo "NCCL timeout" >&2; exit 1;; esac
            \(Reliability.trainingCommand().replacingOccurrences(of: "{config}", with: "\"$2\""))
            """)
        let output = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "4", "--study", "flaky",
                                             "--max-failures", "3", "--format", "json",
                                             "--evaluator-command", "\(script) {trial} {config}"])
        #expect(output.status == 0, "\(output.stderr)")
        let trials = try await Reliability.trials(fixture, study: "flaky")
        #expect(trials.filter { $0.state == "complete" }.count == 4)
        #expect(trials.filter { $0.state == "failed" }.map(\.number) == [1, 3])
        #expect(trials.filter { $0.state == "failed" }.allSatisfy { $0.error == "exited with status 1; stderr: NCCL timeout" })
        #expect(trials.map(\.number) == Array(0..<6))
    }

    @Test func maxFailuresStopsTheSearchWithExitCodeSixAndTheLastReason() async throws {
        let fixture = try CLIFixture()
        let script = try Reliability.script(fixture, "broken.sh", "echo 'ImportError: torch' >&2\nexit 2")
        let output = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "10", "--study", "broken",
                                             "--max-failures", "3", "--evaluator-command", script])
        #expect(output.status == 6)
        #expect(Reliability.isOneCleanErrorLine(output.stderr.components(separatedBy: "\n").filter { $0.hasPrefix("gpnav: error:") }.joined() + "\n"))
        #expect(output.stderr.contains("stopped after 3 failed trials, the most allowed; last failure: exited with status 2; stderr: ImportError: torch; --max-failures sets how many are allowed"), "\(output.stderr)")
        let trials = try await Reliability.trials(fixture, study: "broken")
        #expect(trials.count == 3)
        #expect(trials.allSatisfy { $0.state == "failed" && $0.error == "exited with status 2; stderr: ImportError: torch" })
    }
}
