import Foundation
import GPNav
import Testing
@testable import GPNavServer

/// Malformed requests of every kind, on every route: each gets a 4xx with one line, none a 5xx,
/// and the server and the study go on as before.
@Suite struct MalformedRequestTests {
    static let bodies: [String] = [
        "", "null", "[]", "[1,2]", "\"text\"", "42", "{", "}", "{\"a\":}", "\u{0}\u{1}\u{2}", "{\"accuracy\": 1e309}",
        "{\"accuracy\": -0.0001}", "{\"accuracy\": null}", "{\"accuracy\": true}", "{\"accuracy\": [70]}",
        "{\"count\": 1e30}", "{\"count\": -5}", "{\"count\": 100000}", "{\"worker\": 7}", "{\"worker\": \"\"}",
        "{\"name\": \"\", \"budget\": {}, \"trials\": 5}", "{\"name\": \"x\", \"budget\": {\"macs\": -1}, \"trials\": 5}",
        "{\"name\": \"x\", \"budget\": {\"macs\": 300000000}, \"trials\": -3}",
        "{\"name\": \"x\", \"budget\": {\"macs\": 300000000}, \"trials\": 5, \"start\": {\"resolution\": 7, \"width\": 0.1, \"mv2_depths\": [], \"vit_depths\": []}}",
        String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
        "{\"reason\": \"" + String(repeating: "é", count: 2000) + "\"}",
    ]

    static let paths: [(String, String)] = [
        ("POST", "/v1/studies"), ("POST", "/v1/studies/s/suggestions"), ("POST", "/v1/studies/s/trials/0/complete"),
        ("POST", "/v1/studies/s/trials/0/fail"), ("POST", "/v1/studies/s/trials/0/heartbeat"),
        ("POST", "/v1/studies/s/trials/99999999999999999999999/complete"), ("POST", "/v1/studies/s/trials/-1/fail"),
        ("POST", "/v1/studies/%00/suggestions"), ("GET", "/v1/studies/s/trials?limit=0"),
        ("GET", "/v1/studies/s/trials?desc=maybe"), ("GET", "/v1/studies/s/pareto?objectives="),
        ("GET", "/v1/studies/s/pareto?objectives=accuracy:max,accuracy:max"),
    ]

    @Test func noMalformedRequestGetsA5xxOrChangesTheStudy() async throws {
        try await withServer { server in
            try await server.createStudy(trials: 5)
            let claimed = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
            #expect((claimed.json["trials"] as? [Any])?.count == 1)
            var statuses: Set<Int> = []
            for (method, path) in Self.paths {
                for body in Self.bodies {
                    let reply = try await server.send(method, path, body: method == "POST" ? body : nil)
                    statuses.insert(reply.status)
                    #expect(reply.status < 500, "\(method) \(path) \(body.prefix(60)): \(reply.status) \(reply.text.prefix(200))")
                    if reply.status >= 400 {
                        #expect(reply.error.map { !$0.isEmpty && !$0.contains("\n") } == true, "\(reply.text.prefix(200))")
                    }
                }
            }
            #expect(statuses.isSuperset(of: [400, 404]))
            #expect(try await server.send("GET", "/healthz").status == 200)
            // The bad bodies above included results for trial 0; none was a valid one, so it still runs.
            let study = try await server.send("GET", "/v1/studies/s")
            #expect(study.json["running"] as? Int == 1)
            #expect(study.json["complete"] as? Int == 0)
        }
    }
}
