import Foundation
import MobileViT
import Testing
@testable import GPNav
import TestScratch

/// A temporary directory removed when the value is dropped.
final class ScratchDirectory {
    let url: URL
    init() throws {
        url = URL(fileURLWithPath: try TestScratch.path("search"))
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// An evaluator that fails every `period`-th request and otherwise defers to the simulator.
struct FlakyEvaluator: Evaluator {
    let inner = TrainingSimulator(seed: 0)
    let period: Int
    var summary: String { "flaky test evaluator" }
    var isSimulated: Bool { true }
    func evaluate(_ request: EvaluationRequest) async throws(EvaluationFailure) -> EvaluationResult {
        if request.trialNumber % period == period - 1 {
            throw EvaluationFailure(reason: "injected failure", output: "boom")
        }
        return try await inner.evaluate(request)
    }
}

@Suite("Search loop")
struct ArchitectureSearchTests {
    func run(_ configuration: SearchConfiguration, db: String,
             evaluator: (any Evaluator)? = nil) async throws -> SearchReport {
        let store = try SQLiteTrialStore(path: db, access: .readWrite(createIfMissing: true))
        let search = ArchitectureSearch(store: store, evaluator: evaluator ?? TrainingSimulator(seed: configuration.settings.seed),
                                        configuration: configuration)
        return try await search.run()
    }

    @Test("a search reaches its trial count, proposes only admitted models after the chain, and recommends one within budget")
    func searchReachesTarget() async throws {
        let scratch = try ScratchDirectory()
        let budget = Budget(macs: 300_000_000)
        let report = try await run(SearchConfiguration(studyName: "s", settings: StudySettings(budget: budget, targetTrials: 14, seed: 1)), db: scratch.path("a.sqlite"))
        #expect(report.trials.count == 14)
        #expect(report.trials.map(\.number) == Array(0..<14))
        #expect(report.trials.allSatisfy { $0.state == .complete })
        let best = try #require(report.best)
        #expect(best.macs <= 300_000_000)
        #expect(report.bestPredictedAccuracy != nil)
        let chainLength = report.trials.prefix { $0.proposal.kind == .start || $0.proposal.kind == .downsize }.count
        #expect(chainLength >= 2)
        let gpTrials = report.trials.dropFirst(chainLength)
        #expect(gpTrials.allSatisfy { $0.proposal.kind == .gp && $0.macs <= 300_000_000 })
        #expect(Set(report.trials.map(\.architecture)).count == 14, "no architecture is evaluated twice")
        // Every stored count is the exact count of the stored architecture.
        for trial in report.trials {
            #expect(CostModel.cost(of: trial.architecture) == Cost(macs: trial.macs, params: trial.params))
        }
    }

    @Test("the same seed repeats a search trial for trial")
    func reproducible() async throws {
        let scratch = try ScratchDirectory()
        let configuration = SearchConfiguration(studyName: "s", settings: StudySettings(budget: Budget(macs: 200_000_000), targetTrials: 12, seed: 5))
        let first = try await run(configuration, db: scratch.path("a.sqlite"))
        let second = try await run(configuration, db: scratch.path("b.sqlite"))
        #expect(first.trials.map(\.architecture) == second.trials.map(\.architecture))
        #expect(first.trials.map(\.accuracy) == second.trials.map(\.accuracy))
    }

    @Test("a study name that exists is refused without resume and continued with it")
    func resume() async throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path("a.sqlite")
        var configuration = SearchConfiguration(studyName: "s", settings: StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 8, seed: 2))
        _ = try await run(configuration, db: db)
        await #expect(throws: StudyError.exists(name: "s", completeTrials: 8)) {
            try await run(configuration, db: db)
        }
        configuration.resume = true
        configuration.settings.targetTrials = 11
        let report = try await run(configuration, db: db)
        #expect(report.trials.count == 11)
        #expect(report.trials.map(\.number) == Array(0..<11))
    }

    @Test("failed evaluations are kept as failed trials, the search goes on, and max-failures stops it")
    func failures() async throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path("a.sqlite")
        let report = try await run(SearchConfiguration(studyName: "s", settings: StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 8, seed: 2)),
                                   db: db, evaluator: FlakyEvaluator(period: 4))
        #expect(report.trials.filter { $0.state == .complete }.count == 8)
        let failed = report.trials.filter { $0.state == .failed }
        #expect(!failed.isEmpty)
        #expect(failed.allSatisfy { $0.error == "injected failure" && $0.evaluatorOutput == "boom" })

        var configuration = SearchConfiguration(studyName: "t", settings: StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 30, seed: 2), maxFailures: 2)
        configuration.parallel = 1
        await #expect(throws: SearchError.tooManyFailures(count: 2, lastReason: "injected failure")) {
            try await run(configuration, db: db, evaluator: FlakyEvaluator(period: 1))
        }
        let store = try SQLiteTrialStore(path: db, access: .readOnly)
        #expect(try store.trials(TrialQuery(study: "t")).count == 2)
    }

    @Test("parallel evaluations keep trial numbers unique and gap-free and reach the target")
    func parallel() async throws {
        let scratch = try ScratchDirectory()
        var configuration = SearchConfiguration(studyName: "p", settings: StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 12, seed: 4))
        configuration.parallel = 3
        let report = try await run(configuration, db: scratch.path("a.sqlite"))
        #expect(report.trials.filter { $0.state == .complete }.count == 12)
        #expect(report.trials.map(\.number) == Array(0..<report.trials.count))
        #expect(Set(report.trials.map(\.architecture)).count == report.trials.count)
    }
}

/// An evaluator that takes `seconds` per trial, deferring to the simulator for the result.
struct SlowEvaluator: Evaluator {
    let inner = TrainingSimulator(seed: 0)
    let seconds: Double
    var summary: String { "slow test evaluator" }
    var isSimulated: Bool { true }
    func evaluate(_ request: EvaluationRequest) async throws(EvaluationFailure) -> EvaluationResult {
        try? await Task.sleep(for: .seconds(seconds))
        return try await inner.evaluate(request)
    }
}

@Suite("Search loop cancellation")
struct ArchitectureSearchCancellationTests {
    @Test func cancellingTheSearchTaskStartsNoFurtherTrialAndRecordsTheOnesInFlight() async throws {
        let scratch = try ScratchDirectory()
        let store = try SQLiteTrialStore(path: scratch.path("a.sqlite"), access: .readWrite(createIfMissing: true))
        let configuration = SearchConfiguration(studyName: "c", settings: StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 30), parallel: 2)
        let search = ArchitectureSearch(store: store, evaluator: SlowEvaluator(seconds: 0.3), configuration: configuration)
        let handle = TaskHandle()
        let task = Task {
            try await search.run { event in
                // Cancel once both slots are busy.
                if case .trialStarted(let trial, _) = event, trial.number == 1 { handle.cancel() }
            }
        }
        handle.set(task)
        await #expect(throws: CancellationError.self) { try await task.value }
        let trials = try store.trials(TrialQuery(study: "c"))
        #expect(trials.count == 2, "only the two trials started before the cancellation")
        #expect(trials.allSatisfy { $0.state != .running }, "the trials in flight were told before the search ended")
    }
}

/// A task to cancel from a callback that may run before the task is stored.
final class TaskHandle: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<SearchReport, any Error>?
    private var cancelled = false

    func set(_ task: Task<SearchReport, any Error>) {
        lock.lock()
        defer { lock.unlock() }
        self.task = task
        if cancelled { task.cancel() }
    }

    func cancel() {
        lock.lock()
        defer { lock.unlock() }
        cancelled = true
        task?.cancel()
    }
}
