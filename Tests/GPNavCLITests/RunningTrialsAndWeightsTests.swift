import Foundation
import GPNav
import Testing

/// `gpnav trials --running` (who trains what, in which slot, since when) and `gpnav export
/// --weights` (where a trial's trained weights are).
@Suite("gpnav trials --running, export --weights")
struct RunningTrialsAndWeightsTests {
    /// The fixture's database with one more running trial of s300 (number 6), trained by slot 3
    /// of a worker.
    func fixtureWithSlottedTrial() throws -> CLIFixture {
        let fixture = try CLIFixture()
        let store = try fixture.seed()
        let s300 = try #require(try store.study(named: "s300")?.id)
        var trial = try CLIFixture.trial(s300, .running, resolution: 192, width: 0.75, macs: 300_000_000,
                                         params: 1_000_000, accuracy: nil)
        trial.worker = "gpu-host:41/3"
        trial.heartbeatAt = CLIFixture.epoch.addingTimeInterval(60)
        let stored = try store.addFinishedTrial(trial)
        let id = try #require(stored.id)
        for (epoch, accuracy) in [(1, 31.5), (2, 44.25)] {
            #expect(try store.addEpochReport(EpochReport(epoch: epoch, accuracy: accuracy), trialID: id))
        }
        return fixture
    }

    @Test func runningListsOnlyRunningTrialsWithWorkerSlotStartAndHeartbeat() async throws {
        let fixture = try fixtureWithSlottedTrial()
        let output = try await fixture.runner.run(["trials", "--running", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { "\($0["study"] ?? "")#\($0["number"] ?? "")" } == ["s300#5", "s300#6"])
        let slotted = rows[1]
        #expect(slotted["worker"] as? String == "gpu-host:41/3")
        #expect(slotted["slot"] as? Int == 3)
        #expect(slotted["started_at"] as? String == "2025-11-21T00:00:00.000Z")
        #expect(slotted["heartbeat_at"] as? String == "2025-11-21T00:01:00.000Z")
        let elapsed = try #require(slotted["elapsed_seconds"] as? Double)
        let silent = try #require(slotted["silent_seconds"] as? Double)
        #expect(abs(elapsed - silent - 60) < 1e-3, "the heartbeat came a minute after the start")
        #expect(slotted["epoch"] as? Int == 2 && slotted["epoch_accuracy"] as? Double == 44.25, "its last report")
        #expect(rows[0]["slot"] is NSNull && rows[0]["worker"] is NSNull && rows[0]["epoch"] is NSNull)

        let table = try await fixture.runner.run(["trials", "--running", "--study", "s300"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("gpu-host:41/3") && table.stdout.contains("running for"))
        #expect(table.stdout.contains("2 (44.25%)"))
        let csv = try CSV.parse(try await fixture.runner.run(["trials", "--running", "--format", "csv"]).stdout)
        #expect(csv.first?.fields.prefix(4) == ["number", "study", "worker", "slot"])
        #expect(csv.count == 3)
    }

    @Test func runningRefusesAnotherState() async throws {
        let fixture = try fixtureWithSlottedTrial()
        let output = try await fixture.runner.run(["trials", "--running", "--state", "complete"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("--running"))
    }

    @Test func exportWeightsPrintsTheFileBesideTheTrialsConfig() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let directory = URL(fileURLWithPath: fixture.file("gpnav-configs"))
        let files = TrialFiles(directory: directory, study: "s300", trial: 1)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("weights".utf8).write(to: files.weights)
        let output = try await fixture.runner.run(["export", "--study", "s300", "--trial", "1", "--weights"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == files.weights.path + "\n")
        #expect(files.weights.lastPathComponent == files.config.deletingPathExtension().lastPathComponent + ".weights.pt")

        let elsewhere = URL(fileURLWithPath: fixture.file("worker-configs"))
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let moved = TrialFiles(directory: elsewhere, study: "s300", trial: 1).weights
        try FileManager.default.moveItem(at: files.weights, to: moved)
        let given = try await fixture.runner.run(["export", "--study", "s300", "--trial", "1", "--weights", "--config-dir", elsewhere.path])
        #expect(given.status == 0, "\(given.stderr)")
        #expect(given.stdout == moved.path + "\n")
    }

    @Test func exportWeightsOfATrialWithoutThemSaysWhereItLookedAndExitsNotFound() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["export", "--study", "s300", "--trial", "2", "--weights"])
        #expect(output.status == 4)
        #expect(output.stdout.isEmpty)
        let expected = TrialFiles(directory: URL(fileURLWithPath: fixture.file("gpnav-configs")), study: "s300", trial: 2).weights
        #expect(output.stderr.contains("no weights file at \(expected.path)"))
        #expect(output.stderr.contains("it is failed"))
        #expect(output.stderr.split(separator: "\n").count == 1)
    }
}
