import Foundation
import GPNav
import Testing

/// The commands on a PostgreSQL store, end to end. They need a server: `bash .ci/with-postgres
/// swift test` gives one (GPNAV_TEST_POSTGRES_URL); without it they are skipped.
@Suite("PostgreSQL at the command line", .enabled(if: PostgresServer.url != nil, "needs GPNAV_TEST_POSTGRES_URL: run `bash .ci/with-postgres swift test --traits Full`"))
struct PostgresCommandTests {
    @Test func everyCommandWorksOnAPostgresStoreAndNoOutputShowsThePassword() async throws {
        let server = try PostgresServer()
        let fixture = try CLIFixture()
        let db = server.newSchemaURL()
        var outputs: [GPNavRunner.Output] = []
        let search = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "6", "--study", "pg", "--db", db])
        outputs.append(search)
        #expect(search.status == 0, "\(search.stderr)")
        for command in [["trials", "--study", "pg", "--limit", "20", "--sort", "accuracy", "--desc"], ["pareto", "--study", "pg"],
                        ["studies"], ["export", "--study", "pg", "--trial", "0"], ["trials", "--format", "json"]] {
            let output = try await fixture.runner.run(command + ["--db", db])
            #expect(output.status == 0, "\(command): \(output.stderr)")
            outputs.append(output)
        }
        #expect(outputs[1].stdout.split(separator: "\n").count >= 7)
        // GPNAV_DB works as --db does.
        var viaEnvironment = fixture.runner
        viaEnvironment.environment["GPNAV_DB"] = db
        let studies = try await viaEnvironment.run(["studies"])
        #expect(studies.status == 0)
        #expect(studies.stdout.contains("pg"))
        outputs.append(studies)
        let resumed = try await fixture.runner.run(["search", "--resume", "--study", "pg", "--trials", "8", "--db", db])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        outputs.append(resumed)
        for output in outputs {
            #expect(!output.stdout.contains(server.password) && !output.stderr.contains(server.password))
        }
        #expect(try fixture.contents().allSatisfy { !$0.contains("postgres") })
    }

    /// A wrong password, database name, port or host: one line naming what failed, exit 5, fast,
    /// the password nowhere.
    @Test(arguments: ["password", "database", "port", "host"])
    func unusableServerFailsFastWithOneLineAndExitFive(wrong: String) async throws {
        let server = try PostgresServer()
        let fixture = try CLIFixture()
        let url = server.url(replacing: wrong)
        let output = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "2", "--db", url])
        #expect(output.seconds < 15)
        #expect(output.status == 5, "\(output.stderr)")
        #expect(output.stderr.hasPrefix("gpnav: error: cannot connect to database 'postgresql://"))
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
        let expected = ["password": "password authentication failed", "database": "does not exist",
                        "port": "no PostgreSQL server answers", "host": "no PostgreSQL server answers"]
        #expect(output.stderr.contains(try #require(expected[wrong])), "\(output.stderr)")
        #expect(!output.stderr.contains(server.password) && !output.stderr.contains("wrong-secret"))
        #expect(try fixture.contents().isEmpty)
    }

    @Test func malformedURLIsAUsageErrorWithoutThePassword() async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.run(["studies", "--db", "postgresql://gpnav:hunter2@/gpnav"])
        #expect(output.status == 2)
        #expect(output.stderr == "gpnav: error: cannot use database 'postgresql://gpnav:***@/gpnav': no host\n")
    }
}

/// The test server from `GPNAV_TEST_POSTGRES_URL`, and URLs of fresh schemas in it.
struct PostgresServer {
    /// nil without a server, and in a build without the PostgreSQL trait (nothing to test then).
    static var url: String? {
        guard BuildFeature.postgreSQL.isBuilt else { return nil }
        return ProcessInfo.processInfo.environment["GPNAV_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    let base: PostgresURL
    let password: String

    init() throws {
        base = try PostgresURL(try #require(Self.url))
        password = try #require(base.password)
    }

    /// The URL of a schema no test has used, with the password.
    func newSchemaURL() -> String {
        url(schema: "c_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())
    }

    func url(schema: String? = nil, user: String? = nil, password: String? = nil, host: String? = nil,
             port: Int? = nil, database: String? = nil) -> String {
        "postgresql://\(user ?? base.user):\(password ?? self.password)@\(host ?? base.host):\(port ?? base.port)/\(database ?? base.database)"
            + (schema.map { "?schema=\($0)" } ?? "")
    }

    /// The server's URL with one part wrong: "password", "database", "port" (nothing listens) or "host".
    func url(replacing part: String) -> String {
        switch part {
        case "password": url(password: "wrong-secret")
        case "database": url(database: "no_such_database")
        case "port": url(port: 1)
        default: url(host: "no-such-host.invalid")
        }
    }
}
