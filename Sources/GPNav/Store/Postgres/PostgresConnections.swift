import Foundation
import Logging
import PostgresNIO

/// A bounded pool of PostgreSQL connections for one store, used synchronously.
///
/// A process holds at most ``maximumConnections`` connections to one store, whatever
/// `--parallel` is: a caller that finds them all busy waits for one. Each connection is opened on
/// first need and reused; one that fails with a connection error is dropped and the next use
/// opens another. The callers block on the result (the work itself runs on NIO's event loops,
/// never on Swift's cooperative threads, so blocking cannot starve it).
final class PostgresConnections: @unchecked Sendable {
    /// The most connections one process holds to one store.
    static let maximumConnections = 4
    /// How long one attempt to connect may take before it counts as failed.
    static let connectTimeout: TimeAmount = .seconds(10)

    let url: PostgresURL
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var openCount = 0
    private var nextID = 0
    private var isClosed = false

    init(url: PostgresURL) {
        self.url = url
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password,
            database: url.database, tls: .disable)
        configuration.options.connectTimeout = Self.connectTimeout
        self.configuration = configuration
        // Library code never prints: PostgresNIO's log lines go nowhere.
        self.logger = Logger(label: "gpnav.postgres") { _ in SwiftLogNoOpLogHandler() }
    }

    /// Runs `body` with a connection of its own, returning the connection afterwards (or dropping
    /// it when `body` failed with a connection error).
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try acquire()
        do {
            let result = try body(connection)
            release(connection, broken: false)
            return result
        } catch {
            release(connection, broken: Self.isConnectionError(error) || connection.isClosed)
            throw error
        }
    }

    /// How long one statement may go without an answer before its connection counts as lost.
    /// A connection the server dropped while it restarted can leave a query unanswered forever;
    /// the store's statements take milliseconds to a second or two, and waits for another
    /// writer's row lock as long as that writer's short transaction.
    static let statementTimeout: TimeAmount = .seconds(20)

    /// Thrown when a statement got no answer within ``statementTimeout``; its connection is closed.
    struct NoAnswer: Error, CustomStringConvertible {
        var description: String { "the server did not answer within \(PostgresConnections.statementTimeout.nanoseconds / 1_000_000_000) s" }
    }

    /// Runs `query` on `connection` and waits for all its rows, at most ``statementTimeout``.
    func run(_ query: PostgresQuery, on connection: PostgresConnection) throws -> [PostgresRow] {
        let answer = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
        connection.query(query, logger: logger).cascade(to: answer)
        let watchdog = connection.eventLoop.scheduleTask(in: Self.statementTimeout) {
            answer.fail(NoAnswer())
            let _: EventLoopFuture<Void> = connection.close()
        }
        defer { watchdog.cancel() }
        return try answer.futureResult.wait().rows
    }

    /// Closes every idle connection; later uses fail.
    func close() {
        condition.lock()
        isClosed = true
        let closing = idle
        idle.removeAll()
        openCount -= closing.count
        condition.broadcast()
        condition.unlock()
        for connection in closing { try? connection.close().wait() }
    }

    private func acquire() throws -> PostgresConnection {
        condition.lock()
        while !isClosed && idle.isEmpty && openCount >= Self.maximumConnections { condition.wait() }
        if isClosed {
            condition.unlock()
            throw StoreError.backend(store: url.redacted, message: "the store is closed")
        }
        while let connection = idle.popLast() {
            if connection.isClosed {
                // The server closed it while it was idle (a restart): open another instead.
                openCount -= 1
                continue
            }
            condition.unlock()
            return connection
        }
        openCount += 1
        nextID += 1
        let id = nextID
        condition.unlock()
        do {
            let connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: id, logger: logger
            ).wait()
            if let schema = url.schema {
                // The schema may not exist yet (a reading command before any write): then nothing is found.
                do {
                    _ = try connection.query(PostgresQuery(unsafeSQL: "SET search_path TO \"\(schema)\""), logger: logger).wait()
                } catch {
                    try? connection.close().wait()
                    throw error
                }
            }
            return connection
        } catch {
            condition.lock()
            openCount -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func release(_ connection: PostgresConnection, broken: Bool) {
        condition.lock()
        if broken || isClosed {
            openCount -= 1
            condition.signal()
            condition.unlock()
            try? connection.close().wait()
            return
        }
        idle.append(connection)
        condition.signal()
        condition.unlock()
    }

    /// Whether `error` means the connection itself failed (server gone, network), not the statement.
    static func isConnectionError(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            switch error.code {
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown: return true
            case .server:
                // admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down)
                let state = error.serverInfo?[.sqlState] ?? ""
                return ["57P01", "57P02", "57P03", "08000", "08003", "08006"].contains(state)
            default: return false
            }
        }
        if error is ChannelError || error is NIOConnectionError || error is IOError || error is NoAnswer { return true }
        return false
    }

    /// The SQLSTATE of a server error, if `error` is one.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
