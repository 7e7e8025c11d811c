#if Server
import ArgumentParser
import Foundation
import GaussianProcess
import GPNav
import GPNavServer

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

            With a token (--token-file or GPNAV_TOKEN) every request but /healthz and \
            /openapi.json needs `Authorization: Bearer TOKEN`. A host other than loopback is \
            refused without one. SIGTERM or SIGINT stops it gracefully (exit 0); running trials \
            stay running and their workers report to the restarted server.

            Examples:
              gpnav serve --db studies.sqlite
              GPNAV_TOKEN=s3cret gpnav serve --host 0.0.0.0 --port 8470
              gpnav serve --port 0 --stale-after 30      # port 0: any free port
            """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "TCP port to listen on; 0 picks a free one (printed on start).")
    var port = 8470

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var tokenOptions: TokenOptions

    @Option(help: ArgumentHelp("Seconds a running trial may go without a heartbeat before it is failed as abandoned (at most 365 days).",
                               valueName: "seconds"),
            transform: ArgumentRange.seconds(positive: true))
    var staleAfter = Seconds(clamping: 120)

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
    }

    func run() async throws {
        // Asks, tells and heartbeats run side by side; BLAS threads would only compete with them.
        OpenBLASCore.reexecuteWithOneThread()
        let configuration = ServerConfiguration(host: host, port: port, token: try tokenOptions.token(),
                                                leaseSeconds: staleAfter.value)
        try configuration.validate()
        // The service's lifecycle owns SIGTERM, SIGINT and SIGHUP: a graceful stop, then the store closes.
        StopSignals.leaveToService()
        let store = try await database.openForWriting(create: true)
        let service = try GPNavService(configuration: configuration, store: store)
        try await service.run { host, port in
            let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            FileHandle.standardError.write(Data("gpnav: listening on http://\(shown):\(port)\n".utf8))
        }
    }
}
#endif
