import Foundation
import GPNav
import Testing

/// `gpnav serve --stale-after`: a lease that no clock can hold is refused before the server starts.
@Suite(.enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full")) struct ServeStaleAfterTests {
    @Test(arguments: ["1e20", "31536001", "nan", "0"])
    func aLeaseOutsideOneYearIsRefusedAtOnce(seconds: String) async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.start(["serve", "--port", "0", "--stale-after", seconds]).wait(atMost: 15)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stderr.hasPrefix("gpnav: error:") && output.stderr.contains("--stale-after"), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.file("gpnav.sqlite")))
    }
}
