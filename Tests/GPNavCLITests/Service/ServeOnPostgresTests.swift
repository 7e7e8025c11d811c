import Foundation
import GPNav
import Testing

/// `gpnav serve --db postgresql://...` with `gpnav worker` processes, end to end. Needs a server:
/// `bash .ci/with-postgres swift test --traits Full` gives one; without it the suite is skipped.
@Suite("gpnav serve on PostgreSQL", .enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full"),
       .enabled(if: PostgresServer.url != nil, "needs GPNAV_TEST_POSTGRES_URL: run `bash .ci/with-postgres swift test --traits Full`"))
struct ServeOnPostgresTests {
    @Test func fourWorkersCompleteATwelveTrialStudyKeptInPostgreSQLWithThePasswordNeverShown() async throws {
        let fixture = try CLIFixture()
        let postgres = try PostgresServer()
        let db = postgres.newSchemaURL()
        let server = try ServeProcess(fixture.runner, arguments: ["--db", db, "--stale-after", "30"])
        #expect(try await server.createStudy("pg-e2e", trials: 12) == 201)
        let workers = try (0..<4).map { index in
            try fixture.runner.start(["worker", "--server", server.url, "--study", "pg-e2e", "--evaluator", "stub",
                                      "--worker-id", "w\(index)"])
        }
        for worker in workers {
            let output = try await worker.wait()
            #expect(output.status == 0, "\(output.stderr)")
        }
        let served = try await server.stop()
        #expect(served.status == 0, "\(served.stderr)")
        #expect(!served.stderr.contains(postgres.password), "the server's stderr shows the password")

        let trials = try await Reliability.trials(fixture, study: "pg-e2e", db: db)
        ConcurrentSearchTests.expectGapFreeAndSettled(trials)
        let complete = trials.filter { $0.state == "complete" }
        #expect(complete.count >= 12, "\(complete.count) complete")
        let architectures = trials.map(\.architecture)
        #expect(Set(architectures).count == architectures.count, "proposed twice: \(architectures)")

        let studies = try await fixture.runner.run(["studies", "--db", db])
        #expect(studies.status == 0, "\(studies.stderr)")
        #expect(studies.stdout.contains("pg-e2e"), "\(studies.stdout)")
        #expect(!studies.stdout.contains(postgres.password) && !studies.stderr.contains(postgres.password))
    }
}
