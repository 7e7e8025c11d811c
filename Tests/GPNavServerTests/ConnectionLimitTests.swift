import Foundation
import Testing
@testable import GPNavServer

/// Idle and slow connections cannot exhaust the server: each is closed after its time-out, the
/// number open at once is capped, and `/healthz` answers throughout.
@Suite(.serialized) struct ConnectionLimitTests {
    static let short = ConnectionLimits(maxConnections: 8, headerTimeout: 0.5, bodyTimeout: 0.5, idleTimeout: 0.5)

    @Test func idleAndSlowSocketsAreClosedAndHealthzAnswersThroughout() async throws {
        try await withServer(connections: Self.short) { server in
            // More idle sockets than the cap, and some that send half a request head and stop.
            let idle = (0..<24).compactMap { _ in RawConnection(port: server.port) }
            let slow = (0..<4).compactMap { _ in RawConnection(port: server.port) }
            for connection in slow { connection.send("GET /healthz HT") }
            #expect(idle.count == 24 && slow.count == 4)
            // Served at once: at the cap the longest idle connection is closed to make room.
            let health = try #require(RawConnection(port: server.port))
            let started = Date()
            let status = await health.get("/healthz", within: 30)
            #expect(status == 200, "after \(Date().timeIntervalSince(started)) s")
            for connection in idle + slow {
                #expect(await connection.readUntilClosed(within: 30).closed, "an idle or slow socket is still open")
            }
            #expect(try await server.send("GET", "/healthz").status == 200)
        }
    }

    @Test func aBodyThatStopsHalfWayIsClosedAfterTheBodyTimeOut() async throws {
        try await withServer(connections: Self.short) { server in
            let connection = try #require(RawConnection(port: server.port))
            connection.send("POST /v1/studies HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":")
            #expect(await connection.readUntilClosed(within: 30).closed)
            #expect(try await server.send("GET", "/v1/studies").json["studies"] as? [Any] != nil)
        }
    }

    @Test func atTheCapTheLongestIdleConnectionMakesRoom() async throws {
        let limits = ConnectionLimits(maxConnections: 2, headerTimeout: 60, bodyTimeout: 60, idleTimeout: 60)
        try await withServer(connections: limits) { server in
            let oldest = try #require(RawConnection(port: server.port))
            try await Task.sleep(for: .milliseconds(200))
            let newer = try #require(RawConnection(port: server.port))
            try await Task.sleep(for: .milliseconds(200))
            let health = try #require(RawConnection(port: server.port))
            #expect(await health.get("/healthz", within: 30) == 200, "served without waiting for a time-out")
            #expect(await oldest.readUntilClosed(within: 30).closed, "the longest idle connection made room")
            _ = newer
        }
    }

    @Test func connectionsOverTheCapWaitWhileEveryConnectionIsBusy() async throws {
        let limits = ConnectionLimits(maxConnections: 2, headerTimeout: 60, bodyTimeout: 60, idleTimeout: 60)
        try await withServer(connections: limits) { server in
            // Two requests whose bodies are still coming: busy, so neither is closed to make room.
            var held = (0..<2).compactMap { _ in RawConnection(port: server.port) }
            for connection in held {
                connection.send("POST /v1/studies HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{")
            }
            #expect(held.count == 2)
            // Time for the server to read both heads (a connection whose head is unread counts as idle).
            try await Task.sleep(for: .seconds(1.5))
            let waiting = try #require(RawConnection(port: server.port))
            waiting.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(await waiting.readUntilClosed(within: 1).text.isEmpty)
            // ...until one of the two closes.
            held.removeFirst()
            let (text, _) = await waiting.readUntilClosed(within: 30)
            #expect(text.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func answeredRequestsKeepTheConnectionUntilTheIdleTimeOut() async throws {
        try await withServer(connections: Self.short) { server in
            let connection = try #require(RawConnection(port: server.port))
            connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            let (text, closed) = await connection.readUntilClosed(within: 30)
            #expect(text.hasPrefix("HTTP/1.1 200"))
            #expect(closed, "kept alive, then closed as idle")
        }
    }

    @Test func limitsOutsideTheirRangesAreRefused() {
        for limits in [ConnectionLimits(maxConnections: 0), ConnectionLimits(headerTimeout: 0),
                       ConnectionLimits(bodyTimeout: .nan), ConnectionLimits(idleTimeout: 1e20)] {
            #expect(throws: ServerConfigurationError.self) { try ServerConfiguration(connections: limits).validate() }
        }
        #expect(throws: ServerConfigurationError.self) {
            try ServerConfiguration(studyCache: StudyCacheLimits(maxStudies: 0)).validate()
        }
        #expect((16...1024).contains(ConnectionLimits.defaultMaxConnections()))
    }
}
