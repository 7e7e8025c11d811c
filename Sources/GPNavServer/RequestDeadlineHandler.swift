import Logging
import NIOCore
import NIOHTTPTypes

/// Where a connection's current request stands, told by ``RequestProgressHandler`` (which sees
/// HTTP parts) to ``RequestDeadlineHandler`` (which sees bytes) as an outbound user event.
enum RequestProgress: Sendable {
    case headReceived
    case requestReceived
    case responseSent
}

/// Closes a connection whose request head is not complete `headerTimeout` after its first byte,
/// or whose body is not complete `bodyTimeout` after the head: a client that sends a request a
/// byte at a time (or stops half way) holds a connection for that long at most. It sits first in
/// the pipeline, on raw bytes, since no HTTP part exists until a head is whole.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum Phase {
        /// No request in progress (Hummingbird's idle time-out applies).
        case idle
        case readingHead
        case readingBody
        /// The request is read; its answer is being computed or written.
        case responding
    }

    private let headerTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private let registry: ConnectionRegistry
    private let logger: Logger
    private var phase = Phase.idle
    /// Bytes of a next (pipelined) request came while answering: its head's time starts after the answer.
    private var bytesWhileResponding = false
    private var deadline: Scheduled<Void>?

    /// - Parameter registry: told when the connection opens, closes, and is busy or idle.
    init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount, registry: ConnectionRegistry, logger: Logger) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.registry = registry
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        registry.opened(context.channel)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch phase {
        case .idle: startReadingHead(context: context)
        case .responding: bytesWhileResponding = true
        case .readingHead, .readingBody: break
        }
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let progress = event as? RequestProgress else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        cancelDeadline()
        switch progress {
        case .headReceived:
            registry.mark(context.channel, idle: false)
            phase = .readingBody
            schedule(bodyTimeout, what: "body", context: context)
        case .requestReceived:
            phase = .responding
        case .responseSent:
            registry.mark(context.channel, idle: true)
            phase = .idle
            if bytesWhileResponding {
                bytesWhileResponding = false
                startReadingHead(context: context)
            }
        }
        promise?.succeed(())
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        registry.closed(context.channel)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
        registry.closed(context.channel)
    }

    private func startReadingHead(context: ChannelHandlerContext) {
        phase = .readingHead
        schedule(headerTimeout, what: "head", context: context)
    }

    private func schedule(_ timeout: TimeAmount, what: String, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            let (handler, context) = loopBound.value
            handler.deadline = nil
            handler.logger.info("connection closed: request \(what) not received in time",
                                 metadata: ["event": "request_timeout", "part": "\(what)"])
            context.close(promise: nil)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}

/// Tells ``RequestDeadlineHandler`` when a request's head and end are read and when its answer
/// is written; passes every part on unchanged.
final class RequestProgressHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: context.triggerUserOutboundEvent(RequestProgress.headReceived, promise: nil)
        case .end: context.triggerUserOutboundEvent(RequestProgress.requestReceived, promise: nil)
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let isEnd = if case .end = unwrapOutboundIn(data) { true } else { false }
        context.write(data, promise: promise)
        if isEnd { context.triggerUserOutboundEvent(RequestProgress.responseSent, promise: nil) }
    }
}
