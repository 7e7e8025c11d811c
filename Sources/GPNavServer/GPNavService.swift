import Foundation
import GPNav
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import OpenAPIHummingbird
import ServiceLifecycle
import UnixSignals

/// `gpnav serve`: the HTTP face of the Study API. Builds the router (access log, error mapping,
/// body limit and bearer token as middleware, then the routes) and runs it with the reaper under
/// swift-service-lifecycle, which owns graceful shutdown: on SIGTERM or SIGINT the server stops
/// accepting, finishes the requests in flight and returns. Connections are bounded in number
/// and time (``ConnectionLimits``), open studies in number and memory (``StudyCacheLimits``).
/// `gpnav dashboard` runs the same service read-only (``ServerAccess/readOnly``): the dashboard and
/// the API's read routes, no write route and no reaper.
public struct GPNavService: Sendable {
    public let configuration: ServerConfiguration
    let sessions: StudySessions
    let metrics = ServiceMetrics()
    /// The access log, lifecycle events and errors go here.
    let logger: Logger

    /// - Parameter logger: where requests and lifecycle events are logged (info: one line per
    ///   request and event; warning and up: failures only).
    public init(configuration: ServerConfiguration, store: any TrialStore,
                logger: Logger = Logger(label: "gpnav.serve", factory: { _ in SwiftLogNoOpLogHandler() }))
        throws(ServerConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        self.sessions = StudySessions(store: store, leaseSeconds: configuration.leaseSeconds,
                                      limits: configuration.studyCache, logger: logger)
    }

    /// The router with every route and middleware.
    /// - Throws: when the generated operations cannot be registered (a path the router refuses).
    public func makeRouter() throws -> Router<ServerRequestContext> {
        // The routes alone first: the error middleware needs the methods each path takes (405).
        let routesOnly = Router(context: ServerRequestContext.self)
        try addRoutes(to: routesOnly)
        let router = Router(context: ServerRequestContext.self)
        // Middleware wraps the routes added after it: the access log outermost (it sees the final
        // status), then errors, then limits, then the token, then the checks of the query and the
        // body that the generated code does not make.
        router.add(middleware: AccessLogMiddleware(logger: logger, metrics: metrics))
        router.add(middleware: ErrorResponseMiddleware(routes: RouteTable(routesOnly)))
        router.add(middleware: BodyLimitMiddleware())
        router.add(middleware: BearerTokenMiddleware(token: configuration.token))
        router.add(middleware: SingleQueryParametersMiddleware())
        router.add(middleware: StrictJSONBodyMiddleware())
        try addRoutes(to: router)
        return router
    }

    /// Every operation of `openapi.json`, through the generated server code, and the dashboard's
    /// page and its own routes (outside the document: a page, not the API).
    private func addRoutes(to router: Router<ServerRequestContext>) throws {
        let api = GPNavAPI(sessions: sessions, serviceMetrics: metrics, leaseSeconds: configuration.leaseSeconds, logger: logger)
        switch configuration.access {
        case .readWrite: try api.registerHandlers(on: router, configuration: GPNavAPI.configuration)
        case .readOnly: try api.registerHandlers(on: ReadOnlyTransport(inner: router), configuration: GPNavAPI.configuration)
        }
        DashboardRoutes(store: sessions.store, access: configuration.access).register(on: router)
    }

    /// Serves until SIGTERM, SIGINT or SIGHUP; `onListening` gets the bound address once the socket is open.
    /// Returns once the requests in flight are answered and no study's model search runs any more
    /// (a search still computing when the process exits would race the BLAS library's exit handlers).
    public func run(onListening: @escaping @Sendable (_ host: String, _ port: Int) -> Void) async throws {
        try await run(try makeServiceGroup(shutdownSignals: [.sigterm, .sigint, .sighup], onListening: onListening))
    }

    /// Runs `group` (made by ``makeServiceGroup(shutdownSignals:onListening:)``) until it ends,
    /// then stops every study's background hyperparameter searches and returns once none runs.
    public func run(_ group: ServiceGroup) async throws {
        do {
            try await group.run()
        } catch {
            await sessions.stopBackgroundSearches()
            throw error
        }
        await sessions.stopBackgroundSearches()
    }

    /// The server and the reaper (read-write only) as one service group; `triggerGracefulShutdown()` on it, or one
    /// of `shutdownSignals`, stops both gracefully.
    public func makeServiceGroup(shutdownSignals: [UnixSignal],
                                 onListening: @escaping @Sendable (_ host: String, _ port: Int) -> Void) throws -> ServiceGroup {
        let host = configuration.host
        let limits = configuration.connections
        let logger = logger
        let registry = ConnectionRegistry(logger: logger)
        // Hummingbird's own logger says little above debug; its request ids are not needed.
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .warning)
        let app = Application(
            router: try makeRouter(),
            server: HTTPServerBuilder { responder in
                GuardedHTTP1Channel(responder: responder, limits: limits, registry: registry, logger: logger)
            },
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: nil,
                                 availableConnectionsDelegate: IdleFirstConnectionCap(maxConnections: limits.maxConnections,
                                                                                      registry: registry)),
            onServerRunning: { channel in onListening(host, channel.localAddress?.port ?? 0) },
            logger: serverLogger)
        var services: [any Service] = [app]
        // Failing abandoned trials writes: a read-only server leaves that to the one that serves the study.
        if configuration.access == .readWrite {
            services.append(AbandonedTrialReaper(sessions: sessions, metrics: metrics,
                                                 interval: configuration.reapInterval, logger: logger))
        }
        return ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: shutdownSignals, logger: serverLogger))
    }
}
