import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// The server's open connections and since when each has been idle (no request, or only part of
/// a request head), so that a server at its connection cap closes the connection idle the longest
/// to make room: idle or slow clients can hold every place only until someone else connects, and
/// `/healthz` and workers are still served.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        /// When the connection last became idle; nil while a request is read or answered.
        var idleSince: ContinuousClock.Instant?
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])
    /// Whether the server waits for room (at the cap, nothing idle when it looked), and whether a
    /// task looks again meanwhile: a connection may turn idle without any closing to wake the server.
    private let waiting = Mutex((forRoom: false, looking: false))
    private let logger: Logger

    /// How often the server looks for an idle connection while it waits for room.
    static let lookInterval = Duration.milliseconds(100)
    /// How long a connection must have been idle to be closed for room: a connection just
    /// accepted has had no time to send its request (at the cap the server looks for room as soon
    /// as it accepts the last place, before anyone else waits).
    static let minimumIdle = Duration.seconds(1)

    init(logger: Logger) {
        self.logger = logger
    }

    func opened(_ channel: any Channel) {
        entries.withLock { $0[ObjectIdentifier(channel)] = Entry(channel: channel, idleSince: .now) }
    }

    func closed(_ channel: any Channel) {
        entries.withLock { $0[ObjectIdentifier(channel)] = nil }
    }

    /// Marks the connection busy (`idle` false: a request head came) or idle from now.
    func mark(_ channel: any Channel, idle: Bool) {
        entries.withLock { $0[ObjectIdentifier(channel)]?.idleSince = idle ? .now : nil }
    }

    /// Called at the cap: closes the connection idle the longest, if one has been idle long enough;
    /// otherwise looks again every ``lookInterval`` until one is or ``roomMade()`` is called.
    func makeRoom() {
        if closeLongestIdle() { return }
        let startLooking = waiting.withLock { state -> Bool in
            state.forRoom = true
            defer { state.looking = true }
            return !state.looking
        }
        guard startLooking else { return }
        Task { [self] in
            while waiting.withLock({ $0.forRoom }) {
                try? await Task.sleep(for: Self.lookInterval)
                if closeLongestIdle() { break }
            }
            waiting.withLock { $0 = (forRoom: false, looking: false) }
        }
    }

    /// The server accepts again: stop looking for room.
    func roomMade() {
        waiting.withLock { $0.forRoom = false }
    }

    /// Closes the connection idle the longest, if one has been idle for ``minimumIdle``; returns
    /// whether one was.
    @discardableResult
    func closeLongestIdle() -> Bool {
        let cutoff = ContinuousClock.now - Self.minimumIdle
        let victim = entries.withLock { entries -> (any Channel)? in
            guard let (key, entry) = entries.filter({ $0.value.idleSince.map { $0 <= cutoff } ?? false })
                .min(by: { ($0.value.idleSince ?? .now) < ($1.value.idleSince ?? .now) }) else { return nil }
            entries[key] = nil
            return entry.channel
        }
        guard let victim else { return false }
        logger.info("connection closed: the server is at its connection cap and this one was idle the longest",
                    metadata: ["event": "connection_evicted"])
        victim.close(promise: nil)
        return true
    }
}

/// Hummingbird's hook for the connection cap: below `maxConnections` new connections are
/// accepted; at the cap the longest idle one is closed (``ConnectionRegistry``) and the next is
/// accepted once it has gone. With every connection busy, new ones wait in the listen backlog.
/// (The server accepts a few connections per wake-up, so the count may pass the cap by those.)
struct IdleFirstConnectionCap: AvailableConnectionsDelegate {
    let maxConnections: Int
    let registry: ConnectionRegistry
    private var open = 0

    init(maxConnections: Int, registry: ConnectionRegistry) {
        self.maxConnections = maxConnections
        self.registry = registry
    }

    mutating func connectionOpened() { open += 1 }
    mutating func connectionClosed() { open -= 1 }

    func isAcceptingNewConnections() -> Bool {
        guard open >= maxConnections else {
            registry.roomMade()
            return true
        }
        registry.makeRoom()
        return false
    }
}
