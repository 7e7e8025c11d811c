import Foundation
import Testing
import MobileViT

/// The channel plan in the JSON a builder reads: `gpnav macs --format json` and `gpnav export --format json`.
@Suite struct ChannelPlanOutputTests {
    static func plan(in json: String) throws -> NetworkPlan {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let plan = try JSONSerialization.data(withJSONObject: try #require(object["channel_plan"]))
        return try JSONDecoder().decode(NetworkPlan.self, from: plan)
    }

    @Test func macsJSONCarriesTheArchitecturesChannelPlan() async throws {
        let fixture = try CLIFixture()
        let result = try await fixture.runner.run(["macs", "--resolution", "112", "--width", "0.5625", "--mv2-depths", "2,1",
                                           "--vit-depths", "3,1,4", "--classes", "100", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let architecture = try Architecture(resolution: 112, width: 0.5625, mv2Depths: [2, 1], vitDepths: [3, 1, 4], classes: 100)
        #expect(try Self.plan(in: result.stdout) == MobileViTv2Family.plan(of: architecture))
    }

    @Test func exportJSONCarriesTheTrialsChannelPlan() async throws {
        let (fixture, architecture) = try ImportExportCommandTests.deepTrialFixture()
        let output = try await fixture.runner.run(["export", "--study", "deep", "--trial", "0", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try Self.plan(in: output.stdout) == MobileViTv2Family.plan(of: architecture))
    }
}
