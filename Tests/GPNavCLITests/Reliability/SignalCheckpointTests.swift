import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A search stopped by SIGINT, SIGTERM or SIGHUP leaves a database file that holds everything by
/// itself: the write-ahead log is checkpointed into it and removed, so a copy of the `.sqlite`
/// file alone opens with its tables and the study.
@Suite("Checkpoint on a stop signal", .serialized)
struct SignalCheckpointTests {
    /// Sends `signal` once `ready` holds, then checks the exit, the -wal file and a lone copy.
    private func stopAndCheck(_ fixture: CLIFixture, _ running: GPNavRunner.Running, signal: Int32,
                              ready: () async throws -> Bool) async throws {
        let started = try await Reliability.wait(upTo: 60, until: ready)
        #expect(started)
        kill(running.process.processIdentifier, signal)
        let output = try await running.wait(atMost: 30)
        #expect(output.status == 128 + signal, "\(output.status): \(output.stderr)")
        #expect(!output.stderr.contains("Fatal error"))
        let left = try fixture.contents().filter { $0.hasSuffix("-wal") || $0.hasSuffix("-shm") }
        #expect(left.isEmpty, "left beside the database: \(left)")

        // The .sqlite file alone, copied away from anything beside it, holds the study.
        let alone = try CLIFixture()
        try FileManager.default.copyItem(atPath: fixture.file("gpnav.sqlite"), toPath: alone.file("copy.sqlite"))
        let studies = try await alone.runner.run(["studies", "--db", "copy.sqlite", "--format", "csv"])
        #expect(studies.status == 0, "\(studies.stderr)")
        #expect(studies.stdout.contains("stopped"), "\(studies.stdout)")
    }

    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func aSearchOnATrainingCommandStoppedByASignalLeavesNoWriteAheadLog(signal: Int32) async throws {
        let fixture = try CLIFixture()
        let running = try fixture.runner.start(["search", "--macs", "300M", "--trials", "3", "--study", "stopped",
                                                "--evaluator-command", "touch started-{trial}; sleep 60"])
        try await stopAndCheck(fixture, running, signal: signal) {
            ((try? fixture.contents()) ?? []).contains { $0.hasPrefix("started-") }
        }
    }

    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func aSimulatedSearchStoppedByASignalLeavesNoWriteAheadLog(signal: Int32) async throws {
        let fixture = try CLIFixture()
        let running = try fixture.runner.start(["search", "--macs", "300M", "--trials", "100000", "--study", "stopped"])
        // Stopped mid-run, once a few trials are stored.
        try await stopAndCheck(fixture, running, signal: signal) {
            guard FileManager.default.fileExists(atPath: fixture.file("gpnav.sqlite-wal")) else { return false }
            try await pause(0.7)
            return true
        }
    }
}
