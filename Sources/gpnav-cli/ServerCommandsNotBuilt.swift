#if !Server
import ArgumentParser
import GPNav

// A build without the Server trait keeps `serve`, `worker` and `dashboard` in the command list, so that a user
// who types them learns in one line how to get them, rather than "unknown subcommand".

/// `gpnav serve` in a build without the HTTP server.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve studies over HTTP (not in this build: build with --traits Server or Full).")

    @Argument(parsing: .allUnrecognized, help: .hidden) var ignored: [String] = []

    func run() throws { throw FeatureNotBuilt(feature: .server, needed: "gpnav serve") }
}

/// `gpnav dashboard` in a build without the HTTP server.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Watch the studies of a database in a browser (not in this build: build with --traits Server or Full).")

    @Argument(parsing: .allUnrecognized, help: .hidden) var ignored: [String] = []

    func run() throws { throw FeatureNotBuilt(feature: .server, needed: "gpnav dashboard") }
}

/// `gpnav worker` in a build without the HTTP client.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Train the trials a gpnav server suggests (not in this build: build with --traits Server or Full).")

    @Argument(parsing: .allUnrecognized, help: .hidden) var ignored: [String] = []

    func run() throws { throw FeatureNotBuilt(feature: .server, needed: "gpnav worker") }
}
#endif
