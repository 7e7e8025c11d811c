import Foundation
import GPNav
import Testing

/// What a build without the optional parts says when a user reaches for them. The default build
/// (`swift build`, the README's first command) has neither; CI also builds the full set, where
/// these commands work and their own suites test them.
@Suite("Parts a build leaves out")
struct BuildTraitsTests {
    @Test(.enabled(if: !BuildFeature.server.isBuilt, "this build has the server"),
          arguments: [["serve", "--port", "0"], ["worker", "--server", "http://127.0.0.1:1", "--study", "s"]])
    func serverCommandsSayHowToBuildThemInOneLine(_ arguments: [String]) async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.run(arguments)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stderr.hasPrefix("gpnav: error: 'gpnav \(arguments[0])' is not in this build"), "\(output.stderr)")
        #expect(output.stderr.contains("swift build -c release --traits Full"), "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
    }

    @Test(.enabled(if: !BuildFeature.postgreSQL.isBuilt, "this build has the PostgreSQL store"))
    func aPostgreSQLStoreSaysHowToBuildItWithoutThePassword() async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.run(["studies", "--db", "postgresql://gpnav:hunter2@127.0.0.1:5432/gpnav"])
        #expect(output.status == 2, "\(output.stderr)")
        #expect(!output.stderr.contains("hunter2"), "\(output.stderr)")
        #expect(output.stderr.contains("'postgresql://gpnav:***@127.0.0.1:5432/gpnav' is not in this build"), "\(output.stderr)")
        #expect(output.stderr.contains("--traits Full"), "\(output.stderr)")
    }

    @Test func everyPartIsNamedByItsTrait() async {
        #expect(BuildFeature.allCases.map(\.rawValue) == ["PostgreSQL", "Server"])
        let error = FeatureNotBuilt(feature: .server, needed: "gpnav serve")
        #expect(error.kind == .usage)
        #expect(error.description.contains("package trait 'Server'"))
    }
}
