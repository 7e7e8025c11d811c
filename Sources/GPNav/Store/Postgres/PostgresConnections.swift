#if PostgreSQL
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// A bounded pool of PostgreSQL connections for one store, used from async code.
///
/// A process holds at most ``maximumConnections`` connections to one store, whatever
/// `--parallel` is: a caller that finds them all busy is suspended (not blocked) until one is
/// handed back, first come first served. Each connection is opened on first need and reused; one
/// that fails with a connection error is dropped and the next use opens another.
///
/// (PostgresNIO's own `PostgresClient` pool is not used: it retries a refused connection with its
/// own backoff while the caller waits, and reports a wrong password or database only as a tripped
/// circuit breaker, whereas the store must say at once which of them is wrong, and bounds the
/// retries after a lost connection by its own documented window.)
final class PostgresConnections: @unchecked Sendable {
    /// The most connections one process holds to one store.
    static let maximumConnections = 4
    /// How long one attempt to connect may take before it counts as failed.
    static let connectTimeout: TimeAmount = .seconds(10)

    /// What a suspended caller is given when a connection frees up.
    private enum Grant {
        /// An idle connection to use.
        case connection(PostgresConnection)
        /// A free place in the pool: open a connection in it.
        case place
    }

    let url: PostgresURL
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    // Guards the fields below; held only for bookkeeping, never across a suspension.
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private var waiting: [CheckedContinuation<Grant, any Error>] = []
    private var openCount = 0
    private var nextID = 0
    private var isClosed = false

    init(url: PostgresURL, statementTimeout: TimeAmount = PostgresConnections.defaultStatementTimeout) {
        self.url = url
        self.statementTimeout = statementTimeout
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
    func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        do {
            let result = try await body(connection)
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
    static let defaultStatementTimeout: TimeAmount = .seconds(60)
    /// This pool's statement timeout (``defaultStatementTimeout`` but in tests).
    let statementTimeout: TimeAmount

    /// Thrown when a statement got no answer within the statement timeout; its connection is closed.
    struct NoAnswer: Error, CustomStringConvertible {
        var timeout: TimeAmount
        var description: String { "the server did not answer within \(timeout.nanoseconds / 1_000_000_000) s" }
    }

    /// Runs `query` on `connection` and collects all its rows, waiting at most ``statementTimeout``.
    ///
    /// The answer does not wait for PostgresNIO past the timeout: the connection is then closed
    /// and ``NoAnswer`` thrown at once, whether or not closing ends the query (a connection the
    /// server dropped while restarting can leave a query unanswered, and a search once waited
    /// forever after such a restart). A query still running then is left to end on its own.
    func run(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [PostgresRow] {
        let answer = OneAnswer<[PostgresRow]>()
        let logger = logger
        return try await withCheckedThrowingContinuation { continuation in
            answer.wait(continuation)
            let timeout = statementTimeout
            let watchdog = connection.eventLoop.scheduleTask(in: timeout) {
                // Answered first: closing fails the query, which must not answer in its place.
                answer.give(.failure(NoAnswer(timeout: timeout)))
                Self.closeInBackground(connection)
            }
            Task {
                do {
                    let rows = try await connection.query(query, logger: logger).collect()
                    watchdog.cancel()
                    answer.give(.success(rows))
                } catch {
                    watchdog.cancel()
                    answer.give(.failure(error))
                }
            }
        }
    }

    /// Closes every idle connection and refuses later uses; connections in use close when
    /// handed back.
    func close() async {
        for connection in markClosed() { try? await connection.close() }
    }

    /// Like ``close()``, without waiting for the connections to close (for `deinit`).
    func closeWithoutWaiting() {
        for connection in markClosed() { Self.closeInBackground(connection) }
    }

    /// Starts closing `connection` and keeps it alive until it is closed (PostgresNIO requires a
    /// connection to be closed before it goes away).
    private static func closeInBackground(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Marks the pool closed, fails every waiting caller, and returns the idle connections to close.
    private func markClosed() -> [PostgresConnection] {
        let (closing, waiters) = lock.withLock {
            isClosed = true
            let closing = idle
            idle.removeAll()
            openCount -= closing.count
            let waiters = waiting
            waiting.removeAll()
            return (closing, waiters)
        }
        for waiter in waiters { waiter.resume(throwing: closedError) }
        return closing
    }

    private var closedError: StoreError { .backend(store: url.redacted, message: "the store is closed") }

    private func acquire() async throws -> PostgresConnection {
        let grant = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
            let immediate: Result<Grant, any Error>? = lock.withLock {
                if isClosed { return .failure(closedError) }
                if let connection = idle.popLast() { return .success(.connection(connection)) }
                if openCount < Self.maximumConnections {
                    openCount += 1
                    return .success(.place)
                }
                waiting.append(continuation)
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
        // An idle connection the server closed meanwhile (a restart) leaves its place to a new one.
        if case .connection(let connection) = grant, !connection.isClosed { return connection }
        return try await open()
    }

    /// Opens a connection in a place already counted in `openCount`; gives the place up on failure.
    private func open() async throws -> PostgresConnection {
        let id = lock.withLock {
            nextID += 1
            return nextID
        }
        do {
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: id, logger: logger)
            if let schema = url.schema {
                // The schema may not exist yet (a reading command before any write): then nothing is found.
                do {
                    _ = try await run(PostgresQuery(unsafeSQL: "SET search_path TO \"\(schema)\""), on: connection)
                } catch {
                    Self.closeInBackground(connection)
                    throw error
                }
            }
            return connection
        } catch {
            freePlace()
            throw error
        }
    }

    /// Gives up one counted place: a waiting caller may open a connection in it.
    private func freePlace() {
        let waiter: CheckedContinuation<Grant, any Error>? = lock.withLock {
            if !waiting.isEmpty { return waiting.removeFirst() }
            openCount -= 1
            return nil
        }
        waiter?.resume(returning: .place)
    }

    private func release(_ connection: PostgresConnection, broken: Bool) {
        let (waiter, drop): (CheckedContinuation<Grant, any Error>?, Bool) = lock.withLock {
            if broken || isClosed { return (nil, true) }
            if !waiting.isEmpty { return (waiting.removeFirst(), false) }
            idle.append(connection)
            return (nil, false)
        }
        if drop {
            Self.closeInBackground(connection)
            freePlace()
            return
        }
        waiter?.resume(returning: .connection(connection))
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

/// The first of several answers to one waiting caller; later ones are dropped.
private final class OneAnswer<Value: Sendable>: Sendable {
    private let waiting = Mutex<CheckedContinuation<Value, any Error>?>(nil)

    /// Sets the caller to answer; before any ``give(_:)``.
    func wait(_ continuation: CheckedContinuation<Value, any Error>) {
        waiting.withLock { $0 = continuation }
    }

    /// Answers the caller unless it was answered already.
    func give(_ result: Result<Value, any Error>) {
        let continuation = waiting.withLock { waiting in
            defer { waiting = nil }
            return waiting
        }
        continuation?.resume(with: result)
    }
}
#endif
