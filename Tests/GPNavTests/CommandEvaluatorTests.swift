import Foundation
import MobileViT
import Testing

@testable import GPNav

#if canImport(Glibc)
import Glibc
import TestScratch
#endif

/// A scratch directory with helpers to write scripts and build evaluators; tests remove it with
/// `defer { box.remove() }` (a deinit could run before an evaluation that still needs it).
struct Sandbox {
    let root: URL

    init() throws {
        root = URL(fileURLWithPath: try TestScratch.path("command"))
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// Writes a shell script and returns a command that runs it.
    ///
    /// The script is run as `sh FILE`, not executed directly: tests run in parallel, and a
    /// process forked by one test while another still has its script open for writing would make
    /// exec fail with ETXTBSY.
    func script(_ name: String, _ body: String) throws -> String {
        let file = root.appendingPathComponent(name)
        try (body + "\n").write(to: file, atomically: true, encoding: .utf8)
        return "/bin/sh " + CommandEvaluator.shellQuoted(file.path)
    }

    func evaluator(_ template: String, timeout: Duration = .seconds(60), outputLimit: Int = 64 * 1024) -> CommandEvaluator {
        CommandEvaluator(
            commandTemplate: template, timeout: timeout, workingDirectory: root,
            configDirectory: root.appendingPathComponent("configs"), outputLimit: outputLimit,
            terminationGrace: .milliseconds(300))
    }

    func file(_ name: String) -> URL { root.appendingPathComponent(name) }
}

private func request(study: String = "unit", trial: Int = 7) throws -> EvaluationRequest {
    let architecture = try Architecture(resolution: 224, width: 0.75, mv2Depths: [1, 2], vitDepths: [2, 3, 3])
    return EvaluationRequest(architecture: architecture, macs: 812_345_678, params: 2_345_678, study: study, trialNumber: trial)
}

/// Runs the evaluator and returns the failure it must produce.
private func failure(_ evaluator: CommandEvaluator) async throws -> EvaluationFailure {
    do {
        let result = try await evaluator.evaluate(try request())
        Issue.record("expected a failure, got accuracy \(result.accuracy)")
        return EvaluationFailure(reason: "")
    } catch let error as EvaluationFailure {
        return error
    }
}

/// Whether `pid` names a live process (a zombie counts as dead).
func isAlive(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return true }
    return !stat[close...].hasPrefix(") Z")
}

@Suite struct CommandEvaluatorTests {
    @Test func successReadsAccuracyAndNumericMetricsFromTheLastJSONLine() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let train = try box.script("train.sh", """
            cp "$1" seen.json
            echo "epoch 1"
            echo '{"accuracy": 12.5, "loss": 9}'
            echo 'warming up' >&2
            echo '{"loss": 3.5}'
            echo '{"accuracy": 71.3, "loss": 1.25, "note": "fine", "converged": true}'
            echo "done"
            """)
        let result = try await box.evaluator("\(train) {config}").evaluate(try request())
        #expect(result.accuracy == 71.3)
        #expect(result.metrics == ["loss": 1.25])
        #expect(result.output?.contains("warming up") == true)
        #expect(result.output?.contains("epoch 1") == true)

        let seen = try JSONSerialization.jsonObject(with: Data(contentsOf: box.file("seen.json"))) as? [String: Any]
        #expect(seen?["resolution"] as? Int == 224)
        #expect(seen?["width"] as? Double == 0.75)
        #expect(seen?["mv2_depths"] as? [Int] == [1, 2])
        #expect(seen?["vit_depths"] as? [Int] == [2, 3, 3])
        #expect(seen?["classes"] as? Int == 1000)
        #expect(seen?["macs"] as? Int == 812_345_678)
        #expect(seen?["params"] as? Int == 2_345_678)
        #expect(seen?["study"] as? String == "unit")
        #expect(seen?["trial"] as? Int == 7)
        // The exact layer widths a builder needs, read off the same walk as the counts.
        let plan = try JSONSerialization.data(withJSONObject: try #require(seen?["channel_plan"]))
        #expect(try JSONDecoder().decode(NetworkPlan.self, from: plan) == MobileViTv2Family.plan(of: try request().architecture))
    }

    @Test func placeholdersAreSubstitutedOnceAndReachTheCommandExactly() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let study = "it's a \"study\" with $HOME, `spaces` and {trial}"
        let template = "printf '%s\\n' {study} {trial} {config} > args.txt; echo '{\"accuracy\": 1}'"
        _ = try await box.evaluator(template).evaluate(try request(study: study, trial: 12))
        let lines = try String(contentsOf: box.file("args.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first == study)
        #expect(lines.dropFirst().first == "12")
        #expect(FileManager.default.fileExists(atPath: lines.last ?? ""))
    }

    /// Study names that would run `touch` if pasted into a script, in or out of quotes.
    static let hostileStudyNames = [
        "';touch hit-single;'",
        "\"; touch hit-double; \"",
        "$(touch hit-dollar)",
        "`touch hit-backquote`",
        "x\ntouch hit-newline\n",
        "a\\'b\\\"c\\",
        "'\"'\"$(touch hit-mixed)\"'",
        "; touch hit-semicolon #",
        "${IFS}*{trial}{config}",
    ]

    @Test(arguments: hostileStudyNames, ["{study}", "'{study}'", "\"{study}\"", "\"$(printf '%s' '{study}')\""])
    func hostileStudyNamesReachTheCommandVerbatimAndRunNothing(study: String, word: String) async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let template = "printf '%s' \(word) > got.txt; printf '%s' \"$GPNAV_STUDY\" > env.txt; echo '{\"accuracy\": 5}'"
        let result = try await box.evaluator(template).evaluate(try request(study: study))
        #expect(result.accuracy == 5)
        // Command substitution drops trailing newlines: that is the shell, not the substitution.
        var expected = study
        if word.contains("$(") { while expected.hasSuffix("\n") { expected.removeLast() } }
        #expect(try String(contentsOf: box.file("got.txt"), encoding: .utf8) == expected)
        #expect(try String(contentsOf: box.file("env.txt"), encoding: .utf8) == study)
        let created = try FileManager.default.contentsOfDirectory(atPath: box.root.path).filter { $0.hasPrefix("hit-") }
        #expect(created.isEmpty, "the payload ran: \(created)")
    }

    @Test func configPathInsideDoubleQuotesIsThePlainPath() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let template = "cp \"{config}\" seen.json && test \"$GPNAV_TRIAL\" = {trial} && echo \"{\\\"accuracy\\\": $(( {trial} + 1 ))}\""
        let result = try await box.evaluator(template).evaluate(try request(trial: 41))
        #expect(result.accuracy == 42)
        #expect(FileManager.default.fileExists(atPath: box.file("seen.json").path))
    }

    @Test func nonZeroExitFailsWithTheStatusAndTheLastStderrLineAndKeepsTheOutput() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let failure = try await failure(box.evaluator("echo 'CUDA out of memory' >&2; exit 3"))
        #expect(failure.reason == "exited with status 3; stderr: CUDA out of memory")
        #expect(failure.output?.contains("CUDA out of memory") == true)
    }

    @Test func theQuotedStderrLineIsTheLastWithTextOnStderrOnlyEscapedAndBounded() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        // stdout's later line is not stderr's; blank lines and a progress bar's CR rewrites are skipped.
        let script = "echo 'Traceback' >&2; echo '  ValueError: bad  ' >&2; printf '\\n  \\n' >&2; echo 'stdout last'; exit 1"
        #expect(try await failure(box.evaluator(script)).reason == "exited with status 1; stderr: ValueError: bad")
        let bar = try await failure(box.evaluator("printf '10%%\\r50%%\\rDataError: x\\n' >&2; exit 3"))
        #expect(bar.reason == "exited with status 3; stderr: DataError: x")
        let silent = try await failure(box.evaluator("echo 'only stdout'; exit 4"))
        #expect(silent.reason == "exited with status 4")
        let long = try await failure(box.evaluator("head -c 5000 /dev/zero | tr '\\0' 'x' >&2; exit 5"))
        #expect(long.reason == "exited with status 5; stderr: " + String(repeating: "x", count: 300) + "...")
        let control = try await failure(box.evaluator("printf 'bad \\033[2J\\000 end\\n' >&2; exit 6"))
        #expect(control.reason == "exited with status 6; stderr: bad \\u{1B}[2J\\u{0} end")
    }

    @Test func missingCommandSaysCommandNotFound() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let failure = try await failure(box.evaluator("gpnav-no-such-trainer-xyz --config {config}"))
        #expect(failure.reason.hasPrefix("command not found (exit status 127)"))
    }

    @Test func deathBySignalIsReported() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let failure = try await failure(box.evaluator("kill -KILL $$"))
        #expect(failure.reason.hasPrefix("killed by signal 9"))
    }

    @Test func timeoutKillsTheWholeProcessGroupIncludingGrandchildren() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let train = try box.script("train.sh", """
            sh -c 'sleep 60 & echo $! > grandchild.pid; wait' &
            echo $! > child.pid
            echo started
            sleep 60
            """)
        let failure = try await failure(box.evaluator(train, timeout: .milliseconds(700)))
        #expect(failure.reason.hasPrefix("timed out after 0.7 s"))
        #expect(failure.output?.contains("started") == true)
        for name in ["child.pid", "grandchild.pid"] {
            let text = try String(contentsOf: box.file(name), encoding: .utf8)
            let pid = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            // Death after SIGTERM is asynchronous: allow the kernel up to 5 s to finish it.
            var alive = isAlive(pid)
            for _ in 0..<100 where alive {
                try await Task.sleep(for: .milliseconds(50))
                alive = isAlive(pid)
            }
            #expect(!alive, "\(name) \(pid) survived the timeout")
        }
    }

    @Test func timeoutEscalatesToSIGKILLWhenSIGTERMIsIgnored() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let failure = try await failure(box.evaluator("trap '' TERM; sleep 60; echo '{\"accuracy\": 50}'", timeout: .milliseconds(300)))
        #expect(failure.reason.hasPrefix("timed out after 0.3 s"))
    }

    @Test func noJSONLineFails() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let failure = try await failure(box.evaluator("echo 'accuracy: 71.3'; echo '{\"accuracy\": 71.3'"))
        #expect(failure.reason.hasPrefix("printed no JSON line on stdout"))
    }

    @Test func jsonOnStderrDoesNotCount() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let failure = try await failure(box.evaluator("echo '{\"accuracy\": 71.3}' >&2"))
        #expect(failure.reason.hasPrefix("printed no JSON line on stdout"))
    }

    @Test func jsonWithoutAccuracyFails() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let failure = try await failure(box.evaluator("echo '{\"top1\": 71.3, \"loss\": 1}'"))
        #expect(failure.reason.hasPrefix("no JSON line on stdout has an \"accuracy\" key"))
    }

    @Test(arguments: [
        ("\"NaN\"", "reported accuracy \"NaN\" is not a number"),
        ("\"71.3\"", "reported accuracy \"71.3\" is not a number"),
        ("null", "reported accuracy is not a number"),
        ("true", "reported accuracy is not a number"),
        ("-0.5", "reported accuracy -0.5 is outside 0...100"),
        ("100.01", "reported accuracy 100.01 is outside 0...100"),
        ("7130", "reported accuracy 7130.0 is outside 0...100"),
    ])
    func invalidAccuracyFails(value: String, reason: String) async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let failure = try await failure(box.evaluator("echo '{\"accuracy\": \(value)}'"))
        #expect(failure.reason.hasPrefix(reason), "\(failure.reason)")
    }

    @Test func aBrokenLastResultLineFailsEvenAfterAGoodOne() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let failure = try await failure(box.evaluator(#"echo '{"accuracy": 61}'; echo '{"accuracy": 0x3F}'"#))
        #expect(failure.reason.hasPrefix("the last JSON line with an \"accuracy\" key is not valid JSON: not a JSON number"),
                "\(failure.reason)")
    }

    @Test func textAfterANULByteIsStoredWithTheOutput() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let result = try await box.evaluator(#"printf 'loss 1\000hidden tail\n{"accuracy": 50}\n'"#).evaluate(try request())
        #expect(result.output == "loss 1\\u{0}hidden tail\n{\"accuracy\": 50}\n")
    }

    @Test func hugeOutputIsKeptBoundedAndTheResultStillRead() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let limit = 4096
        let evaluator = box.evaluator(
            // stderr first: bytes of two pipes arriving together may be read in either order.
            "yes err | head -c 5000000 >&2; yes 'lots of output' | head -c 50000000; echo; echo '{\"accuracy\": 64.5}'",
            outputLimit: limit)
        let result = try await evaluator.evaluate(try request())
        #expect(result.accuracy == 64.5)
        let output = try #require(result.output)
        #expect(output.utf8.count <= limit + 64)
        #expect(output.hasPrefix("[... "))
        #expect(output.hasSuffix("{\"accuracy\": 64.5}\n"))
    }

    @Test func backgroundLeftoversDoNotHoldTheTrialOpen() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let train = try box.script("train.sh", """
            sleep 60 &
            echo $! > leftover.pid
            echo '{"accuracy": 70}'
            """)
        let result = try await box.evaluator(train).evaluate(try request())
        #expect(result.accuracy == 70)
        let text = try String(contentsOf: box.file("leftover.pid"), encoding: .utf8)
        let pid = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        var alive = isAlive(pid)
        for _ in 0..<100 where alive {
            try await Task.sleep(for: .milliseconds(50))
            alive = isAlive(pid)
        }
        #expect(!alive)
    }

    @Test func missingWorkingDirectoryFailsClearly() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let evaluator = CommandEvaluator(
            commandTemplate: "true", timeout: .seconds(10), workingDirectory: box.file("absent"),
            configDirectory: box.file("configs"))
        let failure = try await failure(evaluator)
        #expect(failure.reason.hasPrefix("working directory"))
    }

    @Test func severalEvaluationsRunSideBySide() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let evaluator = box.evaluator("sleep 0.2; echo \"{\\\"accuracy\\\": $(( {trial} + 50 ))}\"")
        let accuracies = try await withThrowingTaskGroup(of: Double.self) { group in
            for trial in 0..<6 {
                group.addTask { try await evaluator.evaluate(try request(trial: trial)).accuracy }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(accuracies.sorted() == [50, 51, 52, 53, 54, 55])
        #expect(!evaluator.isSimulated)
        #expect(evaluator.summary.contains("timeout 60 s"))
    }
}
