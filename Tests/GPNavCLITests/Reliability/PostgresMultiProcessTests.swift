import Foundation
import GPNav
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Several `gpnav search` processes on one PostgreSQL study. Needs a server:
/// `bash .ci/with-postgres swift test --traits Full` gives one; without it the suite is skipped.
@Suite("Several gpnav processes on one PostgreSQL study",
       .enabled(if: PostgresServer.url != nil, "needs GPNAV_TEST_POSTGRES_URL: run `bash .ci/with-postgres swift test --traits Full`"))
struct PostgresMultiProcessTests {
    @Test func sixResumingSearchesReachTheTargetWithGapFreeNumbersAndNoArchitectureTwice() async throws {
        let fixture = try CLIFixture()
        let db = try PostgresServer().newSchemaURL()
        let target = 20
        let running = try (0..<6).map { _ in
            try fixture.runner.start(["search", "--macs", "300M", "--trials", "\(target)", "--study", "shared", "--resume",
                                      "--parallel", "2", "--db", db,
                                      "--evaluator-command", Reliability.trainingCommand(sleep: 0.1)])
        }
        for process in running {
            let output = try await process.wait()
            #expect(output.status == 0, "\(output.stderr)")
        }
        let studies = try await fixture.runner.run(["studies", "--format", "csv", "--db", db])
        #expect(studies.stdout.split(separator: "\n").count == 2, "\(studies.stdout)")
        let trials = try await Reliability.trials(fixture, study: "shared", db: db)
        ConcurrentSearchTests.expectGapFreeAndSettled(trials)
        let complete = trials.filter { $0.state == "complete" }
        // Each process stops once it sees the target; ones that started a trial just before may overshoot.
        #expect(complete.count >= target && complete.count <= target + 6 * 2, "\(complete.count) complete")
        let architectures = trials.map(\.architecture)
        #expect(Set(architectures).count == architectures.count, "evaluated twice: \(architectures)")
    }
}

/// The PostgreSQL server stopped (`pg_ctl stop -m immediate`) and started again during a search.
/// It stops the whole server, so it runs on a cluster of its own, in a test process of its own:
/// `GPNAV_TEST_POSTGRES_RESTART=1 bash .ci/with-postgres swift test --filter PostgresServerRestartTests`
/// (as `.ci/run` does).
@Suite("PostgreSQL server restarted during a search",
       .enabled(if: PostgresServer.url != nil && ProcessInfo.processInfo.environment["GPNAV_TEST_POSTGRES_RESTART"] == "1",
                "stops the server: run alone with `GPNAV_TEST_POSTGRES_RESTART=1 bash .ci/with-postgres swift test --filter PostgresServerRestartTests`"))
struct PostgresServerRestartTests {
    @Test func searchSurvivesAServerRestartLosingNothingCompleted() async throws {
        let fixture = try CLIFixture()
        let db = try PostgresServer().newSchemaURL()
        let control = try #require(ProcessInfo.processInfo.environment["GPNAV_TEST_POSTGRES_CTL"])
        let target = 16
        let search = try fixture.runner.start(["search", "--macs", "300M", "--trials", "\(target)", "--study", "restart",
                                               "--parallel", "2", "--db", db,
                                               "--evaluator-command", Reliability.trainingCommand(sleep: 1)])
        // Wait until a few trials are complete, then take the server away for a few seconds.
        var before: [Reliability.TrialRecord] = []
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            before = await (try? Reliability.trials(fixture, study: "restart", db: db)) ?? []
            if before.filter({ $0.state == "complete" }).count >= 3 { break }
            try await pause(0.1)
        }
        #expect(before.filter { $0.state == "complete" }.count >= 3)
        try Self.run(control, ["stop", "-m", "immediate"])
        try await pause(3)
        try Self.run(control, ["start"])
        // A search of 16 one-second trials; minutes mean it hangs.
        let output = try await search.wait(atMost: 180)
        #expect(output.status == 0, "\(output.stderr)")
        let after = try await Reliability.trials(fixture, study: "restart", db: db)
        ConcurrentSearchTests.expectGapFreeAndSettled(after)
        #expect(after.filter { $0.state == "complete" }.count >= target)
        for trial in before where trial.state == "complete" {
            #expect(after.contains(trial), "trial \(trial.number) completed before the restart is gone or changed")
        }
    }

    /// Runs `program` and waits for it. Not `Process`: its wait does not return here once
    /// `pg_ctl start` has left the server running in the background.
    static func run(_ program: String, _ arguments: [String]) throws {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, program, nil, nil, argv, environ) == 0 else {
            throw Reliability.Failure("cannot start \(program)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }
}
