import Foundation
import GPNav
import Testing

@Suite(.enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full")) struct DashboardCommandTests {
    @Test func showsASearchedStudyReadOnlyAndLeavesTheDatabaseUnchanged() async throws {
        let fixture = try CLIFixture()
        let search = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "3", "--study", "demo", "--db", "studies.sqlite"])
        #expect(search.status == 0, "\(search.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.file("studies.sqlite")))

        let dashboard = try ServeProcess(fixture.runner, command: "dashboard", arguments: ["--db", "studies.sqlite"])
        let page = try await dashboard.text("/")
        #expect(page.contains(#"<body data-access="read-only">"#))
        let trials = try await dashboard.send("GET", "/v1/studies/demo/trials")
        #expect(trials.status == 200)
        #expect((trials.json["trials"] as? [[String: Any]])?.count == 3)
        #expect(try await dashboard.createStudy("other", trials: 3) == 405)
        #expect(try await dashboard.send("POST", "/v1/studies/demo/suggestions", body: ["worker": "w"]).status == 404)
        let output = try await dashboard.stop()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("GET /v1/studies/demo/trials 200"), "\(output.stderr)")

        let after = try Data(contentsOf: URL(fileURLWithPath: fixture.file("studies.sqlite")))
        #expect(after == before)
    }

    @Test func refusesWhatItCannotServeInOneLineAndCreatesNothing() async throws {
        let fixture = try CLIFixture()
        let missing = try await fixture.runner.run(["dashboard", "--port", "0", "--db", "absent.sqlite"])
        #expect(missing.status != 0)
        #expect(missing.stderr.hasPrefix("gpnav: error: ") && missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
        let open = try await fixture.runner.run(["dashboard", "--port", "0", "--host", "0.0.0.0", "--db", "absent.sqlite"])
        #expect(open.status == 2)
        #expect(open.stderr == "gpnav: error: refusing to serve on non-loopback host 0.0.0.0 without a token\n")
        for arguments in [["--max-connections", "0"], ["--idle-timeout", "nan"], ["--port", "70000"]] {
            let output = try await fixture.runner.run(["dashboard", "--db", "absent.sqlite"] + arguments)
            #expect(output.status == 2, "\(arguments): \(output.stderr)")
            #expect(output.stderr.split(separator: "\n").count == 1, "\(arguments): \(output.stderr)")
        }
        #expect(try fixture.contents().isEmpty)
    }
}
