import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 channel with gpnav's time-outs (``ConnectionLimits``): its own idle
/// time-out closes a connection with no request in progress, and ``RequestDeadlineHandler`` (at
/// the socket end of the pipeline, where the first byte of a request is seen) closes one whose
/// request head or body does not arrive in time. A request being answered is never cut short.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    private let http1: HTTP1Channel
    private let limits: ConnectionLimits
    private let registry: ConnectionRegistry
    private let logger: Logger

    /// - Parameters:
    ///   - registry: the server's open connections, for its cap (``IdleFirstConnectionCap``).
    ///   - logger: where connections closed for a time-out are logged.
    init(responder: @escaping HTTPChannelHandler.Responder, limits: ConnectionLimits, registry: ConnectionRegistry,
         logger: Logger) {
        self.limits = limits
        self.registry = registry
        self.logger = logger
        http1 = HTTP1Channel(responder: responder, configuration: .init(
            additionalChannelHandlers: [RequestProgressHandler()],
            idleTimeout: Self.timeAmount(limits.idleTimeout)))
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let deadlines = RequestDeadlineHandler(headerTimeout: Self.timeAmount(limits.headerTimeout),
                                               bodyTimeout: Self.timeAmount(limits.bodyTimeout), registry: registry,
                                               logger: self.logger)
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(deadlines, position: .first)
        }.flatMap { http1.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }

    /// Seconds (validated: positive, at most a day) as NIO's time amount.
    static func timeAmount(_ seconds: Double) -> TimeAmount {
        .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
