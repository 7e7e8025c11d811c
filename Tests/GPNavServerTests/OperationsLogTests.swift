import Foundation
import GPNav
import Logging
import Synchronization
import Testing
@testable import GPNavServer

/// The access log, the lifecycle events and the metrics an operator reads.
@Suite struct OperationsLogTests {
    /// JSON log lines written by the server, collected.
    final class CollectedLines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
        var objects: [[String: String]] {
            all.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: String] }
        }
        func events(_ name: String) -> [[String: String]] { objects.filter { $0["event"] == name } }
    }

    static func logger(_ lines: CollectedLines) -> Logger {
        var logger = Logger(label: "gpnav.serve") { JSONLineLogHandler(label: $0, write: { lines.append($0) }) }
        logger.logLevel = .info
        return logger
    }

    @Test func eachRequestIsLoggedWithoutTokenOrBodyAndEachChangeAsAnEvent() async throws {
        let lines = CollectedLines()
        try await withServer(token: "s3cret-token", leaseSeconds: 0.5, logger: Self.logger(lines)) { server in
            try await server.createStudy(trials: 5, token: "s3cret-token")
            let claimed = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "gpu-7", "count": 2],
                                                token: "s3cret-token")
            let numbers = (claimed.json["trials"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? Int }
            #expect(numbers.count == 2)
            let told = try await server.send("POST", "/v1/studies/s/trials/\(numbers[0])/complete",
                                             body: ["accuracy": 71.25, "output": "secret-output"], token: "s3cret-token")
            #expect(told.status == 200)
            #expect(try await server.send("GET", "/v1/studies", headers: ["Authorization": "Bearer guess-xyz"]).status == 401)
            // The second trial's lease runs out: the reaper fails it.
            try await Task.sleep(for: .seconds(1.5))
        }
        let text = lines.all.joined()
        #expect(!text.contains("s3cret-token") && !text.contains("secret-output") && !text.contains("guess-xyz"))
        let requests = lines.events("request")
        let ask = try #require(requests.first { $0["path"] == "/v1/studies/s/suggestions" })
        #expect(ask["method"] == "POST" && ask["status"] == "200" && ask["worker"] == "gpu-7")
        #expect(ask["route"] == "/v1/studies/{name}/suggestions")
        #expect(Double(ask["duration_ms"] ?? "") != nil)
        let tell = try #require(requests.first { $0["path"]?.hasSuffix("/complete") == true })
        #expect(tell["worker"] == "gpu-7")
        #expect(requests.contains { $0["status"] == "401" })
        #expect(lines.events("study_created").first?["study"] == "s")
        #expect(lines.events("trials_claimed").isEmpty)
        #expect(lines.events("trial_claimed").count == 2)
        #expect(lines.events("trial_told").first?["accuracy"] == "71.25")
        #expect(!lines.events("trials_reaped").isEmpty)
    }

    @Test func aRepeatedResultIsCountedOnceAndRequestsAreCountedByRoute() async throws {
        try await withServer { server in
            try await server.createStudy()
            let claimed = try await server.send("POST", "/v1/studies/s/suggestions", body: ["worker": "w"])
            let number = try #require((claimed.json["trials"] as? [[String: Any]])?.first?["number"] as? Int)
            for _ in 0..<3 {
                #expect(try await server.send("POST", "/v1/studies/s/trials/\(number)/complete", body: ["accuracy": 70]).status == 200)
            }
            _ = try await server.send("GET", "/v1/studies/nope")
            // A method the server parses but does not count by name (PROPFIND), on an unknown path.
            for _ in 0..<2 {
                let connection = try #require(RawConnection(port: server.port))
                connection.send("PROPFIND /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                #expect(await connection.readUntilClosed(within: 30).text.hasPrefix("HTTP/1.1 404"))
            }
            let metrics = try await server.send("GET", "/metrics").text
            #expect(metrics.contains("gpnav_tells_total 1\n"), "\(metrics)")
            #expect(metrics.contains(#"gpnav_requests_total{method="POST",route="/v1/studies/{name}/trials/{number}/complete",status="200"} 3"#))
            #expect(metrics.contains(#"gpnav_requests_total{method="GET",route="/v1/studies/{name}",status="404"} 1"#))
            #expect(metrics.contains(#"gpnav_build_info{version="\#(GPNavBuild.version)"} 1"#))
            #expect(metrics.contains("gpnav_process_resident_memory_bytes "))
            // Unknown methods and paths share one series: a client cannot make the series many.
            #expect(metrics.contains(#"gpnav_requests_total{method="other",route="unmatched",status="404"} 2"#), "\(metrics)")
        }
    }

    @Test func jsonLinesAreOneObjectPerEntry() {
        let lines = CollectedLines()
        Self.logger(lines).info("line\nbreak \"quoted\"", metadata: ["study": "a\nb"])
        #expect(lines.all.count == 1 && lines.all[0].hasSuffix("}\n") && lines.all[0].filter { $0 == "\n" }.count == 1)
        #expect(lines.objects.first?["message"] == "line\nbreak \"quoted\"")
        #expect(lines.objects.first?["study"] == "a\nb" && lines.objects.first?["level"] == "info")
    }
}
