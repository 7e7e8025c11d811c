import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GPNav
import Synchronization
import Testing
@testable import GPNavServer
import TestScratch

/// A `ServiceClient` call cancelled while its request is in flight ends: the caller stops waiting
/// at once, and cancelling never hangs, at whatever moment of the exchange it comes (a worker's
/// heartbeat loop is cancelled at the end of every training; swift-corelibs-foundation's URLSession
/// could deadlock when a cancel met the exchange's completion, which once hung CI).
@Suite struct ServiceClientCancellationTests {
    @Test(.timeLimit(.minutes(1)))
    func aCallCancelledWhileTheServerIsSilentEndsBeforeItsTimeOut() async throws {
        let silent = try SilentListener()
        defer { silent.close() }
        let client = ServiceClient(server: try ServerURL("http://127.0.0.1:\(silent.port)"), token: nil,
                                   requestTimeout: Seconds(clamping: 45))
        let started = ContinuousClock.now
        let call = Task { try await client.study("s") }
        try await Task.sleep(for: .milliseconds(300))
        call.cancel()
        let result = await call.result
        let waited = ContinuousClock.now - started
        guard case .failure(let error) = result, case .unreachable? = error as? ServiceClientError else {
            Issue.record("a cancelled call to a silent server is unreachable, not \(result)")
            return
        }
        // The request time-out is 45 s: ending well before it shows the cancel ended the wait.
        #expect(waited < .seconds(20), "the cancelled call waited \(waited)")
    }

    @Test(.timeLimit(.minutes(2)))
    func callsCancelledAtEveryMomentOfTheirExchangeAllEnd() async throws {
        try await withServer { server in
            try #require(try await server.createStudy("s").status == 201)
            let client = ServiceClient(server: try ServerURL(server.baseURL.absoluteString), token: nil)
            var generator = SystemRandomNumberGenerator()
            var (answered, cancelled) = (0, 0)
            // Cancels at moments spread over a whole exchange (about a millisecond on loopback), so
            // that some cancels meet its completion.
            for _ in 0..<400 {
                let call = Task { try await client.study("s") }
                let delay = Int.random(in: 0...1_500, using: &generator)
                if delay > 0 { try await Task.sleep(for: .microseconds(delay)) }
                call.cancel()
                switch await call.result {
                case .success(let reply):
                    #expect(reply.name == "s")
                    answered += 1
                case .failure(let error):
                    guard case .unreachable? = error as? ServiceClientError else {
                        Issue.record("a cancelled call failed with \(error)")
                        return
                    }
                    cancelled += 1
                }
            }
            #expect(answered + cancelled == 400)
            // The client still works after all of them.
            #expect(try await client.study("s").name == "s")
        }
    }
}

/// A TCP listener on 127.0.0.1 that never accepts: the kernel completes connections to it, and
/// a request sent there is never answered.
private final class SilentListener: Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        (descriptor, port) = try LoopbackListener.open(backlog: 8)
    }

    func close() { Glibc.close(descriptor) }
}
