import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// gpnav stopped by SIGINT (Ctrl-C) or SIGTERM while training commands run: the commands and
/// their children are stopped with it (they run in process groups of their own, out of reach of
/// the terminal), it exits with 128 + the signal and one line, and the study resumes.
@Suite("Interrupting a search")
struct InterruptionTests {
    @Test(arguments: [SIGINT, SIGTERM])
    func aStoppedSearchStopsItsTrainingCommandsAbandonsTheirTrialsAndResumes(signal: Int32) async throws {
        let fixture = try CLIFixture()
        // Each trial leaves a child that would train on for a minute; its pid goes to a file.
        let script = try Reliability.script(fixture, "train.sh", "sleep 60 &\necho $! > \"$1.pid\"\nwait")
        let running = try fixture.runner.start(["search", "--macs", "300M", "--trials", "3", "--study", "stop",
                                                "--parallel", "2", "--evaluator-command", "\(script) \(fixture.directory)/trial-{trial}"])
        let started = try await Reliability.wait(upTo: 60) {
            ((try? fixture.contents()) ?? []).filter { $0.hasSuffix(".pid") }.count == 2
        }
        #expect(started)
        kill(running.process.processIdentifier, signal)
        let output = try await running.wait()

        #expect(output.status == 128 + signal, "\(output.stderr)")
        let errors = output.stderr.split(separator: "\n").filter { $0.hasPrefix("gpnav: error:") }
        #expect(errors.count == 1 && errors.first?.contains("interrupted by SIG") == true, "\(output.stderr)")
        #expect(!output.stderr.contains("Fatal error"))
        for name in try fixture.contents() where name.hasSuffix(".pid") {
            let text = try String(contentsOfFile: fixture.file(name), encoding: .utf8)
            let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            let gone = try await Reliability.wait(upTo: 5) {
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
                return stat.contains(") Z ")
            }
            #expect(gone, "training child \(pid) of \(name) still runs")
            if !gone { kill(pid, SIGKILL) }
        }
        // One rule with the worker's: a stopped training is not a failed one; its trial is abandoned.
        let stopped = try await Reliability.trials(fixture, study: "stop")
        #expect(stopped.count == 2 && stopped.allSatisfy { $0.state == "abandoned" }, "\(stopped)")
        #expect(stopped.allSatisfy { $0.error == "stopped: the search was interrupted" }, "\(stopped)")
        #expect(errors.first?.contains("their trials are abandoned") == true, "\(output.stderr)")

        // The study resumes to its target with a command that trains at once.
        let resumed = try await fixture.runner.run(["search", "--study", "stop", "--resume", "--stale-after", "0",
                                              "--evaluator-command", Reliability.trainingCommand()])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let final = try await Reliability.trials(fixture, study: "stop")
        #expect(final.filter { $0.state == "complete" }.count == 3)
        #expect(!final.contains { $0.state == "running" })
    }

    @Test func aSearchKilledWithSIGKILLLeavesNoTrainingCommandRunning() async throws {
        let fixture = try CLIFixture()
        let script = try Reliability.script(fixture, "train.sh", "sleep 60 &\necho $! > \"$1.pid\"\nwait")
        let running = try fixture.runner.start(["search", "--macs", "300M", "--trials", "2", "--study", "killed",
                                                "--evaluator-command", "\(script) \(fixture.directory)/trial-{trial}"])
        let started = try await Reliability.wait(upTo: 60) {
            ((try? fixture.contents()) ?? []).contains { $0.hasSuffix(".pid") }
        }
        #expect(started)
        // SIGKILL: gpnav runs no handler; the watchdog beside the command notices within a second.
        // (The training child is checked before gpnav is waited for: a child that lived on would
        // hold gpnav's output files open for its whole minute.)
        kill(running.process.processIdentifier, SIGKILL)
        defer { _ = try? running.waitBlocking() }  // killed above: ends at once
        for name in try fixture.contents() where name.hasSuffix(".pid") {
            let text = try String(contentsOfFile: fixture.file(name), encoding: .utf8)
            let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            let gone = try await Reliability.wait(upTo: 5) {
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
                return stat.contains(") Z ")
            }
            #expect(gone, "training child \(pid) of \(name) outlived the killed gpnav")
            if !gone { kill(pid, SIGKILL) }
        }
    }
}
