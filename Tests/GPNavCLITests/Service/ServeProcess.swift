import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `gpnav serve` (or `gpnav dashboard`) started as a subprocess on loopback, and plain HTTP calls to it.
final class ServeProcess {
    let running: GPNavRunner.Running
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts `gpnav COMMAND --port PORT` (0: any free port) and waits for its listening line.
    init(_ runner: GPNavRunner, command: String = "serve", port: Int = 0, arguments: [String] = [],
         environment: [String: String] = [:]) throws {
        var runner = runner
        runner.environment.merge(environment) { $1 }
        running = try runner.start([command, "--port", String(port)] + arguments)
        let deadline = Date().addingTimeInterval(30)
        while true {
            let stderr = (try? String(contentsOf: running.stderrURL, encoding: .utf8)) ?? ""
            if let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix("gpnav: listening on http://127.0.0.1:") }),
               let found = Int(line.split(separator: ":").last ?? "") {
                self.port = found
                return
            }
            guard running.process.isRunning, Date() < deadline else {
                running.process.terminate()
                throw ServeProcessError(message: "gpnav \(command) did not start: \(stderr)")
            }
            usleep(50_000)
        }
    }

    func signal(_ number: Int32) { kill(running.process.processIdentifier, number) }

    /// Stops the server with SIGTERM and returns how it ended.
    @discardableResult
    func stop() async throws -> GPNavRunner.Output {
        signal(SIGTERM)
        return try await running.wait()
    }

    /// Sends a JSON request; returns the status and the body as JSON (empty when not an object).
    @discardableResult
    func send(_ method: String, _ path: String, body: [String: Any]? = nil,
              token: String? = nil) async throws -> (status: Int, json: [String: Any]) {
        var request = URLRequest(url: URL(string: url + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
    }

    /// The body of a GET, as text.
    func text(_ path: String) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url + path)!)
        return String(decoding: data, as: UTF8.self)
    }

    /// Creates a study with a 300 M MACs budget.
    func createStudy(_ name: String, trials: Int, token: String? = nil) async throws -> Int {
        try await send("POST", "/v1/studies", body: ["name": name, "budget": ["macs": 300_000_000], "trials": trials],
                       token: token).status
    }
}

struct ServeProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Polls `condition` every 50 ms for up to `seconds`; whether it became true.
func eventually(within seconds: Double, _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        try await pause(0.05)
    }
    return try condition()
}
