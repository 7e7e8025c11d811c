import Foundation
import Testing

/// A training command never sees gpnav's own secrets: the bearer token and the database URL
/// (with its password) stay out of its environment, and so out of the output gpnav stores.
@Suite("Training command environment")
struct CommandEnvironmentTests {
    @Test func theTokenAndTheDatabaseURLStayOutOfTheCommandsEnvironment() async throws {
        let fixture = try CLIFixture()
        var runner = fixture.runner
        runner.environment["GPNAV_TOKEN"] = "token-secret"
        runner.environment["GPNAV_DB"] = fixture.file("gpnav.sqlite")
        runner.environment["GPNAV_SOMETHING_ELSE"] = "other-secret"
        // An inherited GPNAV_SLOT is gpnav's own too: the command gets the trial's slot instead.
        runner.environment["GPNAV_SLOT"] = "slot-secret"
        runner.environment["TRAINING_SETTING"] = "kept"
        let output = try await runner.run(["evaluate", "--model", "mobilevitv2-0.5", "--study", "env", "--format", "json",
                                     "--evaluator-command", "env | sort > env.txt; env; echo '{\"accuracy\": 55.5}'"])
        #expect(output.status == 0, "\(output.stderr)")
        let environment = try String(contentsOfFile: fixture.file("env.txt"), encoding: .utf8)
        let names = environment.split(separator: "\n").compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) }
        #expect(names.filter { $0.hasPrefix("GPNAV_") }.sorted()
                == ["GPNAV_CONFIG", "GPNAV_SEED", "GPNAV_SLOT", "GPNAV_STUDY", "GPNAV_TRIAL"], "\(names)")
        #expect(environment.contains("GPNAV_SLOT=0\n"))
        #expect(names.contains("TRAINING_SETTING"))
        for secret in ["token-secret", "other-secret", "slot-secret"] {
            #expect(!environment.contains(secret))
            #expect(!output.stdout.contains(secret))
        }
        let stored = try await Reliability.trials(fixture, study: "env")
        #expect(stored.count == 1 && stored.first?.evaluatorOutput?.contains("TRAINING_SETTING=kept") == true)
        #expect(stored.first?.evaluatorOutput?.contains("token-secret") == false)
    }
}
