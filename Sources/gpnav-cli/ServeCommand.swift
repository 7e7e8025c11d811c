#if Server
import ArgumentParser
import Foundation
import GaussianProcess
import GPNav
import GPNavServer
import Logging
import MobileViT

/// `gpnav serve`: the studies and their GP behind an HTTP ask/tell API for remote workers.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the studies of a database over HTTP: workers ask for trials and report results.",
        discussion: """
            Workers (`gpnav worker`, or any HTTP client) ask POST /v1/studies/NAME/suggestions for \
            the next architecture, send heartbeats while they train it, and report the result. \
            Trials whose heartbeat is older than --stale-after seconds are failed and their \
            architectures suggested again. GET /openapi.json describes every route.

            A browser at the server's address (http://HOST:PORT/) shows the live dashboard: the \
            studies, each one's pictures, running trials and trials grid (sign in with the token).

            With a token (--token-file or GPNAV_TOKEN) every request but /healthz, \
            /openapi.json and the dashboard page's own files needs `Authorization: Bearer TOKEN`. A host other than loopback is \
            refused without one. SIGTERM or SIGINT stops it gracefully (exit 0); running trials \
            stay running and their workers report to the restarted server.

            Connections are bounded: at most --max-connections open at once (more wait to be \
            accepted), a request's head must arrive within --header-timeout seconds of its first \
            byte and its body within --body-timeout seconds, and a connection with no request is \
            closed after --idle-timeout seconds. At most --max-open-studies studies keep their \
            planner and model in memory, holding at most --study-cache-memory together by their \
            estimate; the least recently asked are closed and reopened from the database on demand.

            Each request is logged on stderr (method, path, status, duration, worker; never a \
            token or a body), with study and trial events (created, claimed, told, failed, \
            reaped, model fitted), as text or JSON lines (--log-format).

            Examples:
              gpnav serve --db studies.sqlite
              GPNAV_TOKEN=s3cret gpnav serve --host 0.0.0.0 --port 8470
              gpnav serve --port 0 --stale-after 30      # port 0: any free port
              gpnav serve --log-format json --log-level warning --max-connections 256
            """
    )

    @OptionGroup var server: ServerOptions

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var tokenOptions: TokenOptions

    @Option(help: ArgumentHelp("Seconds a running trial may go without a heartbeat before it is failed as abandoned (at most 365 days).",
                               valueName: "seconds"),
            transform: ArgumentRange.seconds(positive: true))
    var staleAfter = Seconds(clamping: 120)

    @Option(help: ArgumentHelp("Most studies kept open in memory (planner and model) between asks (default \(StudyCacheLimits().maxStudies)).", valueName: "n"),
            transform: ArgumentRange.count(1...StudyCacheLimits.maximumStudies))
    var maxOpenStudies: Int = StudyCacheLimits().maxStudies

    @Option(help: ArgumentHelp("Memory the open studies may hold together, by their estimate, e.g. 512MB (default 1GiB).",
                               valueName: "size"),
            transform: { text in try Quantity.parseBytes(text) })
    var studyCacheMemory: Int?

    func run() async throws {
        // Asks, tells and heartbeats run side by side; BLAS threads would only compete with them.
        OpenBLASCore.reexecuteWithOneThread()
        let configuration = ServerConfiguration(
            host: server.host, port: server.port, token: try tokenOptions.token(), leaseSeconds: staleAfter.value,
            connections: server.connections,
            studyCache: StudyCacheLimits(maxStudies: maxOpenStudies, maxBytes: studyCacheMemory ?? StudyCacheLimits().maxBytes))
        try configuration.validate()
        // The service's lifecycle owns SIGTERM, SIGINT and SIGHUP: a graceful stop, then the store closes.
        StopSignals.leaveToService()
        let store = try await database.openForWriting(create: true)
        let service = try GPNavService(configuration: configuration, store: store,
                                       logger: server.makeLogger(label: "gpnav.serve"))
        try await ServerOptions.run(service)
    }
}
#endif
