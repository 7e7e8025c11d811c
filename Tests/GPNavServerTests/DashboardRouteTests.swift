import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GPNav
import Testing
@testable import GPNavServer

@Suite struct DashboardRouteTests {
    @Test func thePageAndItsFilesNeedNoTokenButWhatTheyReadDoes() async throws {
        try await withServer(token: "s3cret-token") { server in
            let page = try await get(server, "/")
            #expect(page.status == 200)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.text.contains(#"<script type="module" src="/dashboard/dashboard.js"></script>"#))
            let policy = try #require(page.headers["content-security-policy"])
            #expect(policy.contains("script-src 'self'") && policy.contains("connect-src 'self'"))
            #expect(!policy.contains("unsafe-inline"))
            #expect(page.headers["x-content-type-options"] == "nosniff")
            let script = try await get(server, "/dashboard/dashboard.js")
            #expect(script.status == 200)
            #expect(script.headers["content-type"] == "text/javascript; charset=utf-8")
            #expect(try await get(server, "/dashboard/dashboard.css").status == 200)
            #expect(try await get(server, "/dashboard/live").status == 401)
            #expect(try await get(server, "/dashboard/studies/s/history.svg").status == 401)
            let live = try await get(server, "/dashboard/live", token: "s3cret-token")
            #expect(live.status == 200)
            #expect(live.text == #"{"studies":[]}"#)
        }
    }

    @Test func aRepeatedRequestForAnUnchangedFileIsAnswered304() async throws {
        try await withServer { server in
            let first = try await get(server, "/dashboard/dashboard.js")
            let tag = try #require(first.headers["etag"])
            let again = try await get(server, "/dashboard/dashboard.js", headers: ["If-None-Match": tag])
            #expect(again.status == 304)
            #expect(again.data.isEmpty)
            #expect(try await get(server, "/dashboard/dashboard.js", headers: ["If-None-Match": "\"other\""]).status == 200)
        }
    }

    @Test func liveIs304UntilTheStoreChangesAndAVersionMovesWithTrialsNotHeartbeats() async throws {
        try await withServer { server in
            try await server.createStudy(trials: 4)
            let number = try await claim(server)
            let live = try await get(server, "/dashboard/live")
            let tag = try #require(live.headers["etag"])
            let study = try #require((live.json["studies"] as? [[String: Any]])?.first)
            #expect(study["name"] as? String == "s")
            #expect(study["trials"] as? Int == 1)
            #expect((study["counts"] as? [String: Int]) == ["running": 1, "complete": 0, "failed": 0, "pruned": 0, "abandoned": 0])
            #expect((study["factors"] as? [String])?.prefix(2) == ["resolution", "width"])
            let running = try #require((study["running"] as? [[String: Any]])?.first)
            #expect(running["number"] as? Int == number)
            #expect(running["worker"] as? String == "gpu-1")
            #expect(try await get(server, "/dashboard/live", headers: ["If-None-Match": tag]).status == 304)

            // Read directly (the route shares one read a second among its viewers).
            let before = try #require(try await DashboardSnapshot.read(from: server.store).study(named: "s"))
            try await Task.sleep(for: .milliseconds(5))
            #expect(try await server.send("POST", "/v1/studies/s/trials/\(number)/heartbeat").status == 204)
            let beaten = try await DashboardSnapshot.read(from: server.store)
            #expect(beaten.study(named: "s")?.version == before.version)
            #expect(beaten.study(named: "s")?.running.first?.heartbeatAt != before.running.first?.heartbeatAt)
            _ = try await server.send("POST", "/v1/studies/s/trials/\(number)/complete", body: ["accuracy": 61.5])
            let told = try #require(try await DashboardSnapshot.read(from: server.store).study(named: "s"))
            #expect(told.version != before.version)
            #expect(told.counts["complete"] == 1 && told.running.isEmpty)
            // Within budget only, as the study's own best (the chain's first model is above the budget).
            let best = try await server.send("GET", "/v1/studies/s").json["best"] as? [String: Any]
            #expect(told.bestAccuracy == best?["accuracy"] as? Double)
        }
    }

    @Test func picturesAreTheCommandLinesPlotsAndAre304UntilTheStudyChanges() async throws {
        try await withServer { server in
            try await server.createStudy(trials: 3)
            for accuracy in [60.0, 62.5, 61.0] {
                let number = try await claim(server)
                _ = try await server.send("POST", "/v1/studies/s/trials/\(number)/complete", body: ["accuracy": accuracy])
            }
            let study = try #require(try await server.store.study(named: "s"))
            let trials = try await server.store.trials(TrialQuery(study: "s"))
            let history = try await get(server, "/dashboard/studies/s/history.svg")
            #expect(history.status == 200)
            #expect(history.headers["content-type"] == "image/svg+xml; charset=utf-8")
            #expect(history.text == (try StudyPlots.history(study: study, trials: trials).render()))
            #expect(history.headers["content-security-policy"]?.hasPrefix("default-src 'none'") == true)
            let pareto = try await get(server, "/dashboard/studies/s/pareto.svg")
            #expect(pareto.text == (try StudyPlots.pareto(study: study, trials: trials).render()))
            let cube = try await get(server, "/dashboard/studies/s/cube.svg?x=width&y=resolution")
            #expect(cube.status == 200)
            #expect(cube.text == (try StudyPlots.cube(study: study, trials: trials, x: .width, y: .resolution).render()))

            // The study's version the picture was drawn at, which the page compares with the live one.
            let live = try await get(server, "/dashboard/live")
            let studies = try #require(live.json["studies"] as? [[String: Any]])
            let version = try #require(studies.first { $0["name"] as? String == "s" }?["version"] as? String)
            #expect(history.headers["gpnav-drawn-version"] == version)

            let tag = try #require(history.headers["etag"])
            let unchanged = try await get(server, "/dashboard/studies/s/history.svg", headers: ["If-None-Match": tag])
            #expect(unchanged.status == 304)
            #expect(unchanged.headers["gpnav-drawn-version"] == version)
            // The cube's tag is another picture's: it names its axes.
            let cubeTag = try #require(cube.headers["etag"])
            #expect(cubeTag != tag)
            let otherAxes = try await get(server, "/dashboard/studies/s/cube.svg?x=resolution&y=width",
                                          headers: ["If-None-Match": cubeTag])
            #expect(otherAxes.status == 200)
        }
    }

    @Test func aViewThatFitsTheGPIsDrawnAtMostOncePerIntervalWhileTheStudyChanges() async throws {
        try await withServer { server in
            try await server.createStudy(trials: 6)
            for accuracy in [60.0, 62.5, 61.0] {
                let number = try await claim(server)
                _ = try await server.send("POST", "/v1/studies/s/trials/\(number)/complete", body: ["accuracy": accuracy])
            }
            let pictures = DashboardPictures(store: server.store)
            let cube = try DashboardPicture(file: "cube.svg", query: [:])
            let history = try DashboardPicture(file: "history.svg", query: [:])
            let start = ContinuousClock.now
            let first = await pictures.drawing(study: "s", version: "v1", picture: cube, now: start)
            let firstSVG = try await pictures.svg(of: first, study: "s", picture: cube)
            let number = try await claim(server)
            _ = try await server.send("POST", "/v1/studies/s/trials/\(number)/complete", body: ["accuracy": 63.0])

            // The study moved on (v2), within the interval: the cube's drawing of v1 stands, tagged v1.
            let within = await pictures.drawing(study: "s", version: "v2", picture: cube, now: start + .seconds(29))
            #expect(within.version == "v1")
            #expect(try await pictures.svg(of: within, study: "s", picture: cube) == firstSVG)
            // A cheap picture has a shorter interval of its own: within it, v1's drawing stands; after it, v2 is drawn.
            let historyV1 = await pictures.drawing(study: "s", version: "v1", picture: history, now: start)
            let historyWithin = await pictures.drawing(study: "s", version: "v2", picture: history,
                                                       now: start + DashboardPicture.pictureRedrawInterval - .seconds(1))
            let historyAfter = await pictures.drawing(study: "s", version: "v2", picture: history,
                                                      now: start + DashboardPicture.pictureRedrawInterval)
            #expect(historyV1.version == "v1" && historyWithin.version == "v1" && historyAfter.version == "v2")
            #expect(history.redrawInterval < cube.redrawInterval)
            // Once the interval has passed, the cube is drawn again from the four trials.
            let after = await pictures.drawing(study: "s", version: "v2", picture: cube,
                                               now: start + DashboardPicture.modelRedrawInterval)
            #expect(after.version == "v2")
            let study = try #require(try await server.store.study(named: "s"))
            let trials = try await server.store.trials(TrialQuery(study: "s"))
            #expect(try await pictures.svg(of: after, study: "s", picture: cube)
                    == (try StudyPlots.cube(study: study, trials: trials, x: .resolution, y: .width).render()))
            #expect(try await pictures.svg(of: after, study: "s", picture: cube) != firstSVG)
        }
    }

    @Test func pictureRequestsThatCannotBeDrawnGetOneLineErrors() async throws {
        try await withServer { server in
            try await server.createStudy(trials: 3)
            let empty = try await get(server, "/dashboard/studies/s/history.svg")
            #expect(empty.status == 400)
            #expect(empty.json["error"] as? String == "study 's' has no complete trials to plot")
            let unknown = try await get(server, "/dashboard/studies/nope/pareto.svg")
            #expect(unknown.status == 404)
            let factor = try await get(server, "/dashboard/studies/s/cube.svg?x=%3Cscript%3E")
            #expect(factor.status == 400)
            #expect((factor.json["error"] as? String)?.hasPrefix("bad parameter 'x': use one of resolution, width") == true)
            #expect(try await get(server, "/dashboard/studies/s/cube.svg?x=width&y=width").status == 400)
            #expect(try await get(server, "/dashboard/studies/s/cube.svg?grid=maybe").status == 400)
            #expect(try await get(server, "/dashboard/studies/s/cube.svg?x=width&x=resolution").status == 400)
            #expect(try await get(server, "/dashboard/studies/s/trials.svg").status == 404)
            #expect(try await get(server, "/dashboard/live", method: "POST").status == 405)
        }
    }

    // MARK: Helpers

    private struct Answer {
        var status: Int
        var data: Data
        /// By lower-case name.
        var headers: [String: String]
        var text: String { String(decoding: data, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }
    }

    /// A request without any cache between the test and the server, so that a 304 reaches the test.
    private func get(_ server: TestServer, _ path: String, method: String = "GET", token: String? = nil,
                     headers: [String: String] = [:]) async throws -> Answer {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: try #require(URL(string: server.baseURL.absoluteString + path)))
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return Answer(status: http?.statusCode ?? 0, data: data, headers: fields)
    }

    /// Claims the next trial of study `s` for worker `gpu-1`; returns its number.
    private func claim(_ server: TestServer) async throws -> Int {
        let reply = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "gpu-1"])
        return try #require((reply.json["trials"] as? [[String: Any]])?.first?["number"] as? Int)
    }
}
