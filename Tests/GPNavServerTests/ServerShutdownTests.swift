import Foundation
import Synchronization
import Testing
@testable import GPNav
@testable import GPNavServer

@Suite struct ServerShutdownTests {
    /// When `gpnav serve` exits, the BLAS library's exit handlers release its buffers: a study's
    /// background hyperparameter search still computing then would race them (OpenBLAS 0.3.21
    /// printed "BLAS : Bad memory unallocation!" in about one stop in four under load). So the
    /// service returns only once every study's searches were told to stop and have stopped.
    @Test func theServiceReturnsOnlyOnceItsStudiesModelSearchesHaveStopped() async throws {
        let server = try await TestServer()
        let sawStop = Mutex<Bool?>(nil)
        do {
            #expect(try await server.createStudy("busy", trials: 50).status == 201)
            for _ in 0..<3 {
                let asked = try await server.send("POST", "/v1/studies/busy/suggestions", body: ["worker": "w"])
                let trial = try #require((asked.json["trials"] as? [[String: Any]])?.first)
                let number = try #require(trial["number"] as? Int)
                let told = try await server.send("POST", "/v1/studies/busy/trials/\(number)/complete",
                                                 body: ["accuracy": 60 + Double(number)])
                #expect(told.status == 200)
            }
            let session = try await server.service.sessions.session(named: "busy")
            let refit = try #require(await session.proposer?.backgroundRefit())
            // Stands for a search in progress: it polls, as a search does, until told to stop.
            refit.queue.async {
                let deadline = Date().addingTimeInterval(60)
                while !refit.isStopped, Date() < deadline { usleep(1_000) }
                sawStop.withLock { $0 = refit.isStopped }
            }
            await server.stop()
            #expect(sawStop.withLock { $0 } == true, "the search was told to stop and had ended when the service returned")
            #expect(!refit.isRunning)
        } catch {
            await server.stop()
            throw error
        }
    }
}
