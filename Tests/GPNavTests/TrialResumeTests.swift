import Foundation
import MobileViT
import Testing
@testable import GPNav

/// A trial that retries an abandoned one of the same architecture resumes from its checkpoint.
@Suite("Resume across trial numbers")
struct TrialResumeTests {
    @Test func aRetryOfAnAbandonedArchitectureNamesTheTrialItRetries() async throws {
        let scratch = try ScratchDirectory()
        let store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
        let session = try await StudySession.open(store: store, name: "s", settings: StudySessionTests.settings(trials: 4),
                                                  mode: .create, leaseSeconds: 0.05)
        let first = try #require(try await session.ask(worker: "w", count: 1).trials.first)
        #expect(first.retriedTrial == nil)
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await session.reapAbandoned() == 1)
        let retry = try #require(try await session.ask(worker: "w", count: 1).trials.first)
        #expect(retry.trial.architecture == first.trial.architecture, "the chain proposes its abandoned step again")
        #expect(retry.trial.number == first.trial.number + 1)
        #expect(retry.retriedTrial == first.trial.number)
    }

    @Test func theRetryTakesTheAbandonedTrialsCheckpointUnlessItHasOne() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        // A training that resumes: the accuracy is what its checkpoint holds, or it fails without one.
        let evaluator = box.evaluator(#"c="${GPNAV_CONFIG%.json}.ckpt.pt"; [ -f "$c" ] || exit 3; echo "{\"accuracy\": $(cat "$c")}""#)
        let abandoned = TrialFiles(directory: evaluator.configDirectory, study: "s", trial: 3)
        try FileManager.default.createDirectory(at: evaluator.configDirectory, withIntermediateDirectories: true)
        try Data("61.5".utf8).write(to: abandoned.checkpoint)
        let architecture = try Architecture(resolution: 224, width: 0.75, mv2Depths: [1, 2], vitDepths: [2, 3, 3])
        func request(_ trial: Int, retrying: Int?) -> EvaluationRequest {
            EvaluationRequest(architecture: architecture, macs: 1, params: 1, study: "s", trialNumber: trial, retriedTrial: retrying)
        }
        #expect(try await evaluator.evaluate(request(4, retrying: 3)).accuracy == 61.5)
        #expect(FileManager.default.fileExists(atPath: abandoned.checkpoint.path), "copied, not moved")

        let own = TrialFiles(directory: evaluator.configDirectory, study: "s", trial: 5)
        try Data("70".utf8).write(to: own.checkpoint)
        #expect(try await evaluator.evaluate(request(5, retrying: 3)).accuracy == 70, "its own checkpoint stays")
        await #expect(throws: EvaluationFailure.self) { try await evaluator.evaluate(request(6, retrying: nil)) }
        await #expect(throws: EvaluationFailure.self) { try await evaluator.evaluate(request(7, retrying: 99)) }
    }

    @Test func onlyARegularFileIsAdopted() throws {
        let box = try Sandbox()
        defer { box.remove() }
        let earlier = TrialFiles(directory: box.root, study: "s", trial: 1)
        let later = TrialFiles(directory: box.root, study: "s", trial: 2)
        try FileManager.default.createSymbolicLink(at: earlier.checkpoint, withDestinationURL: box.file("elsewhere"))
        try Data("x".utf8).write(to: box.file("elsewhere"))
        #expect(try later.adoptCheckpoint(of: earlier) == false)
        #expect(!FileManager.default.fileExists(atPath: later.checkpoint.path))
    }
}
