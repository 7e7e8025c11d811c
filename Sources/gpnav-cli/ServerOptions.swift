#if Server
import ArgumentParser
import GPNav
import GPNavServer
import Logging

/// The listening address, connection bounds and log of a gpnav server, shared by `gpnav serve`
/// and `gpnav dashboard`: both are bounded the same way.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "TCP port to listen on; 0 picks a free one (printed on start).")
    var port = 8470

    @Option(help: ArgumentHelp("Most connections open at once (default: half the open-file limit, at most 1024).",
                               valueName: "n"),
            transform: ArgumentRange.count(1...ConnectionLimits.maximumConnectionCap))
    var maxConnections: Int?

    @Option(help: ArgumentHelp("Seconds a request's head may take from its first byte (default \(Int(ConnectionLimits().headerTimeout))).", valueName: "seconds"),
            transform: ArgumentRange.seconds(positive: true))
    var headerTimeout = Seconds(clamping: ConnectionLimits().headerTimeout)

    @Option(help: ArgumentHelp("Seconds a request's body may take after its head (default \(Int(ConnectionLimits().bodyTimeout))).", valueName: "seconds"),
            transform: ArgumentRange.seconds(positive: true))
    var bodyTimeout = Seconds(clamping: ConnectionLimits().bodyTimeout)

    @Option(help: ArgumentHelp("Seconds a connection may stay open with no request (default \(Int(ConnectionLimits().idleTimeout))).", valueName: "seconds"),
            transform: ArgumentRange.seconds(positive: true))
    var idleTimeout = Seconds(clamping: ConnectionLimits().idleTimeout)

    @Option(help: ArgumentHelp("Least severe log entries written: trace, debug, info, notice, warning, error or critical.",
                               valueName: "level"))
    var logLevel: Logger.Level = .info

    @Option(help: "Log lines as text or json.")
    var logFormat: ServerLogFormat = .text

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
    }

    /// The connection bounds given.
    var connections: ConnectionLimits {
        ConnectionLimits(maxConnections: maxConnections ?? ConnectionLimits.defaultMaxConnections(),
                         headerTimeout: headerTimeout.value, bodyTimeout: bodyTimeout.value, idleTimeout: idleTimeout.value)
    }

    /// The log asked for, on standard error.
    func makeLogger(label: String) -> Logger { logFormat.makeLogger(label: label, level: logLevel) }

    /// Runs `service` until a stop signal, saying on standard error where it listens.
    static func run(_ service: GPNavService) async throws {
        try await service.run { host, port in
            let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            StandardStreams.writeError("gpnav: listening on http://\(shown):\(port)\n")
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension ServerLogFormat: ExpressibleByArgument {}
#endif
