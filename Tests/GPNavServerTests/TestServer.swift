import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GPNav
import Logging
import ServiceLifecycle
@testable import GPNavServer
import TestScratch

/// A `GPNavService` on a free loopback port over a fresh database, and a plain HTTP client for it.
final class TestServer: @unchecked Sendable {
    let directory: String
    let store: SQLiteTrialStore
    let service: GPNavService
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Whether ``stop()`` removes ``directory`` (not when the database is another server's).
    private let ownsDirectory: Bool

    /// - Parameters:
    ///   - access: the server's; `.readOnly` also opens the database for reading only, as `gpnav
    ///     dashboard` does, unless `storeAccess` says otherwise.
    ///   - other: a server whose database this one serves too (its directory stays when this one stops).
    init(token: String? = nil, leaseSeconds: Double = 120, connections: ConnectionLimits = ConnectionLimits(),
         studyCache: StudyCacheLimits = StudyCacheLimits(), logger: Logger? = nil,
         access: ServerAccess = .readWrite, sharingDatabaseOf other: TestServer? = nil,
         storeAccess: StoreAccess? = nil) async throws {
        if let other {
            directory = other.directory
            ownsDirectory = false
        } else {
            directory = try TestScratch.directory("server")
            ownsDirectory = true
        }
        store = try SQLiteTrialStore(path: directory + "/gpnav.sqlite",
                                     access: storeAccess ?? (access == .readOnly ? .readOnly : .readWrite(createIfMissing: true)))
        let configuration = ServerConfiguration(port: 0, token: token, leaseSeconds: leaseSeconds, reapInterval: 0.2,
                                                connections: connections, studyCache: studyCache, access: access)
        let service = if let logger {
            try GPNavService(configuration: configuration, store: store, logger: logger)
        } else {
            try GPNavService(configuration: configuration, store: store)
        }
        self.service = service
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let group = try service.makeServiceGroup(shutdownSignals: []) { _, port in continuation.yield(port) }
        self.group = group
        task = Task { try await service.run(group) }
        var iterator = stream.makeAsyncIterator()
        port = await iterator.next() ?? 0
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        if ownsDirectory { try? FileManager.default.removeItem(atPath: directory) }
    }

    struct Reply {
        var status: Int
        var data: Data
        var contentType: String?
        /// The `Allow` header (a 405's).
        var allow: String? = nil
        var text: String { String(decoding: data, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }
        var error: String? { json["error"] as? String }
    }

    /// Sends a request; `body` is sent as is (a string) or encoded (a dictionary) when given.
    func send(_ method: String, _ path: String, body: Any? = nil, token: String? = nil,
              headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        switch body {
        case let text as String: request.httpBody = Data(text.utf8)
        case let data as Data: request.httpBody = data
        case let object?: request.httpBody = try JSONSerialization.data(withJSONObject: object)
        case nil: break
        }
        if request.httpBody != nil, headers["Content-Type"] == nil {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return Reply(status: http?.statusCode ?? 0, data: data,
                     contentType: http?.value(forHTTPHeaderField: "Content-Type"),
                     allow: http?.value(forHTTPHeaderField: "Allow"))
    }

    /// Creates a study with a 300 M MACs budget.
    @discardableResult
    func createStudy(_ name: String = "s", trials: Int = 10, token: String? = nil) async throws -> Reply {
        try await send("POST", "/v1/studies", body: ["name": name, "budget": ["macs": 300_000_000], "trials": trials],
                       token: token)
    }
}

/// Runs `body` against a fresh server and stops it afterwards, whatever happens.
func withServer(token: String? = nil, leaseSeconds: Double = 120, connections: ConnectionLimits = ConnectionLimits(),
                studyCache: StudyCacheLimits = StudyCacheLimits(), logger: Logger? = nil,
                _ body: (TestServer) async throws -> Void) async throws {
    let server = try await TestServer(token: token, leaseSeconds: leaseSeconds, connections: connections,
                                      studyCache: studyCache, logger: logger)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}
