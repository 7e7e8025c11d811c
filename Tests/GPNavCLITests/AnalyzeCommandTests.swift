import Foundation
import GPNav
import Testing

@Suite("gpnav analyze")
struct AnalyzeCommandTests {
    /// A fixture directory with a 12-trial simulator study `macs-300M` in gpnav.sqlite.
    static func searched() async throws -> CLIFixture {
        let fixture = try CLIFixture()
        let search = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "12", "--format", "json"])
        #expect(search.status == 0, "\(search.stderr)")
        return fixture
    }

    @Test func jsonReportsHyperparametersSharesCrossValidationAndPrinciples() async throws {
        let fixture = try await Self.searched()
        let output = try await fixture.runner.run(["analyze", "--study", "macs-300M", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(json["study"] as? String == "macs-300M")
        #expect(json["observations"] as? Int == 12)
        #expect(json["joint_factors"] as? Bool == true)
        let hyper = try #require(json["hyperparameters"] as? [String: Double])
        #expect((hyper["signal_variance"] ?? 0) > 0 && (hyper["noise_variance"] ?? 0) > 0)
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs.compactMap { $0["name"] as? String } == MobileViTv2Names.factors + FactorEncoding.jointFactorNames)
        #expect(inputs.compactMap { $0["rank"] as? Int }.sorted() == [1, 2, 3, 4, 5, 6])
        for input in inputs {
            let scale = try #require(input["length_scale"] as? Double)
            let relevance = try #require(input["relevance"] as? Double)
            #expect(abs(scale * relevance - 1) < 1e-12)
        }
        let shares = try #require(json["variance_shares"] as? [String: Any])
        let main = try #require(shares["main"] as? [[String: Any]])
        let pairs = try #require(shares["pairs"] as? [[String: Any]])
        #expect(main.compactMap { $0["factor"] as? String } == MobileViTv2Names.factors)
        #expect(pairs.count == 6)
        let total = main.compactMap { $0["share"] as? Double }.reduce(0, +)
            + pairs.compactMap { $0["share"] as? Double }.reduce(0, +) + (shares["higher_order"] as? Double ?? .nan)
        #expect(abs(total - 1) < 1e-9)
        let comparison = try #require(json["joint_factor_comparison"] as? [String: Any])
        let with = try #require(comparison["with"] as? [String: Any])
        #expect((with["rmse"] as? Double ?? -1) > 0)
        #expect(with["observation_count"] as? Int == 12)
        #expect(comparison["joint_factors_improve"] is Bool)
        let principles = try #require(json["design_principles"] as? [String: Any])
        #expect((principles["centre_macs"] as? Int ?? .max) <= 300_000_000)
        let slopes = try #require(principles["slopes"] as? [[String: Any]])
        #expect(slopes.compactMap { $0["factor"] as? String } == MobileViTv2Names.factors)
        #expect(principles["shrink_first"] is String)
        #expect((json["statements"] as? [String])?.isEmpty == false)
    }

    @Test func tableShowsEverySectionInPlainWords() async throws {
        let fixture = try await Self.searched()
        let output = try await fixture.runner.run(["analyze"])
        #expect(output.status == 0, "\(output.stderr)")
        for phrase in ["Study macs-300M: GP fitted to 12 complete trials", "length scale", "resolution_x_width",
                       "three- and four-way", "with joint factors", "LOO RMSE", "points per GMAC saved",
                       "When downsizing, shrink"] {
            #expect(output.stdout.contains(phrase), "missing '\(phrase)'")
        }
    }

    @Test func unknownStudyIsOneLineWithExitCode4() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["analyze", "--study", "nope"])
        #expect(output.status == 4)
        #expect(output.stderr == "gpnav: error: unknown study 'nope'; known studies: other, s300\n")
    }

    @Test func tooFewCompleteTrialsIsOneLineWithExitCode3() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["analyze", "--study", "other"])
        #expect(output.status == 3)
        #expect(output.stderr.hasPrefix("gpnav: error: study 'other' has 1 complete trial; the analysis needs at least 3"))
        #expect(output.stderr.split(separator: "\n").count == 1)
        #expect(output.stdout.isEmpty)
    }

    @Test func csvIsNotOffered() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["analyze", "--format", "csv"])
        #expect(output.status == 2)
        #expect(output.stderr.split(separator: "\n").count == 1)
    }
}
