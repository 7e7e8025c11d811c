#if Server
import ArgumentParser
import GaussianProcess
import GPNav
import GPNavServer

/// `gpnav dashboard`: the live dashboard of `gpnav serve`, read-only, on a store.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Watch the studies of a database in a browser, read-only, live.",
        discussion: """
            Serves the dashboard of `gpnav serve` on a database that another process searches \
            (`gpnav search`, `gpnav serve`, workers): the studies, each one's pictures, running \
            trials and trials grid, updated live as trials arrive. It opens the database for \
            reading and serves only the API's read routes (GET /v1/...), so it changes nothing: \
            no study is created, no trial claimed, reported or failed.

            It listens on loopback (127.0.0.1) unless --host says otherwise; a host other than \
            loopback needs a token (--token-file or GPNAV_TOKEN), which the page asks for. \
            Connections are bounded as in `gpnav serve`. SIGTERM or SIGINT stops it (exit 0).

            Examples:
              gpnav dashboard --db studies.sqlite          # then open http://127.0.0.1:8470/
              gpnav dashboard --db postgres://gpnav@db.internal/studies --port 8080
              GPNAV_TOKEN=s3cret gpnav dashboard --db studies.sqlite --host 0.0.0.0
            """
    )

    @OptionGroup var server: ServerOptions

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var tokenOptions: TokenOptions

    func run() async throws {
        // Viewers' requests run side by side; BLAS threads would only compete with them.
        OpenBLASCore.reexecuteWithOneThread()
        let configuration = ServerConfiguration(host: server.host, port: server.port, token: try tokenOptions.token(),
                                                connections: server.connections, access: .readOnly)
        try configuration.validate()
        StopSignals.leaveToService()
        let store = try await database.openForReading()
        let service = try GPNavService(configuration: configuration, store: store,
                                       logger: server.makeLogger(label: "gpnav.dashboard"))
        try await ServerOptions.run(service)
    }
}
#endif
