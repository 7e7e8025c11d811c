import Foundation
import GPNav
import Testing

@Suite("Several gpnav processes on one file")
struct MultiProcessTests {
    /// Six `gpnav studies delete` processes write at once, with readers, while this process
    /// inserts trials into another study from two connections: every process succeeds and
    /// nothing is lost.
    @Test func concurrentDeletesReadsAndInsertsAllSucceed() async throws {
        let fixture = try CLIFixture()
        let path = fixture.file("gpnav.sqlite")
        let store = try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: true))
        for index in 0..<6 {
            let id = try store.createStudy(CLIFixture.study("doomed-\(index)")).id ?? -1
            for trial in 0..<200 {
                _ = try store.addFinishedTrial(try CLIFixture.trial(id, .complete, resolution: 256, width: 1.0,
                                                                   macs: 1_000_000 + trial, params: 1000, accuracy: 70))
            }
        }
        let keep = try store.createStudy(CLIFixture.study("keep"))
        let keepID = keep.id ?? -1

        var running = try (0..<6).map { try fixture.runner.start(["studies", "delete", "doomed-\($0)"]) }
        running += try (0..<3).map { _ in try fixture.runner.start(["trials", "--format", "csv"]) }
        running += try (0..<2).map { _ in try fixture.runner.start(["pareto"]) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await Task.detached {
                        let writer = try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: false))
                        let lifecycle = TrialLifecycle(store: writer, study: keep)
                        for trial in 0..<50 {
                            _ = try await lifecycle.start(try CLIFixture.trial(keepID, .running, resolution: 224, width: 0.5,
                                                                           macs: trial, params: 1, accuracy: nil))
                        }
                    }.value
                }
            }
            try await group.waitForAll()
        }
        for process in running {
            let output = try await process.wait()
            #expect(output.status == 0, "\(output.stderr)")
        }
        let reader = try SQLiteTrialStore(path: path, access: .readOnly)
        #expect(try reader.studies().map(\.name) == ["keep"])
        #expect(try reader.trials(TrialQuery()).map(\.number) == Array(0..<100))
    }
}
