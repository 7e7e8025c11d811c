import Foundation
import GPNav
import Testing

/// A trial a dead worker left is proposed again and its training resumes from the checkpoint the
/// dead one wrote, when the next worker shares its --config-dir.
@Suite(.serialized, .enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full"))
struct WorkerResumeTests {
    @Test func aWorkersTrialKilledMidTrainingIsRetriedAndResumesAtItsEpoch() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner, arguments: ["--stale-after", "2"])
        let created = try await server.send("POST", "/v1/studies", body: [
            "name": "resume", "budget": ["macs": 300_000_000], "trials": 1, "epochs": 4,
        ])
        #expect(created.status == 201)
        let directory = fixture.file("configs")
        let (starts, halted, pid) = (fixture.file("starts"), fixture.file("halted"), fixture.file("pid"))
        // A training that resumes as gpnav_torch.train does: from the epoch in the checkpoint
        // beside its config. The first run hangs after epoch 2, until its worker is killed.
        let script = fixture.file("train.sh")
        try """
            c="${GPNAV_CONFIG%.json}.ckpt.pt"
            epoch=0
            [ -f "$c" ] && epoch=$(cat "$c")
            echo "$GPNAV_TRIAL $epoch" >> \(starts)
            while [ "$epoch" -lt "$GPNAV_EPOCHS" ]; do
              epoch=$((epoch + 1))
              echo "{\\"epoch\\": $epoch, \\"accuracy\\": $((epoch * 10))}"
              echo "$epoch" > "$c"
              if [ "$epoch" -eq 2 ] && [ ! -f \(halted) ]; then
                echo $$ > \(pid); : > \(halted); exec sleep 300
              fi
            done
            echo '{"accuracy": 45}'
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let worker = ["worker", "--server", server.url, "--study", "resume", "--command", "sh \(script)", "--config-dir", directory]
        let dying = try fixture.runner.start(worker + ["--worker-id", "dying"])
        #expect(try await eventually(within: 30) { FileManager.default.fileExists(atPath: halted) })
        kill(dying.process.processIdentifier, SIGKILL)
        _ = try await dying.wait()
        // The killed worker's command outlives it, as on a crashed machine; it is ended here.
        if let text = try? String(contentsOfFile: pid, encoding: .utf8), let orphan = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(orphan, SIGKILL)
        }
        let store = { try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly) }
        await #expect(try eventually(within: 15) { try store().trials(TrialQuery(study: "resume")).contains { $0.state == .abandoned } })

        let finisher = try await fixture.runner.run(worker + ["--worker-id", "finisher", "--max-trials", "1"])
        #expect(finisher.status == 0, "\(finisher.stderr)")
        try await server.stop()
        let trials = try store().trials(TrialQuery(study: "resume"))
        let abandoned = try #require(trials.first { $0.state == .abandoned })
        let retry = try #require(trials.first { $0.state == .complete })
        #expect(retry.architecture == abandoned.architecture && retry.accuracy == 45)
        let lines = try String(contentsOfFile: starts, encoding: .utf8).split(separator: "\n")
        #expect(lines == ["\(abandoned.number) 0", "\(retry.number) 2"], "the retry starts at the killed one's epoch 2")
        #expect(try store().learningCurves(study: "resume")[try #require(retry.id)]
                == [EpochReport(epoch: 3, accuracy: 30), EpochReport(epoch: 4, accuracy: 40)])
    }
}
