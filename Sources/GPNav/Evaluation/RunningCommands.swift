import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process groups of the training commands running now, so that a gpnav told to stop
/// (SIGINT, SIGTERM) can take them down with it: each runs in a group of its own, out of reach of
/// the terminal's Ctrl-C, and would otherwise train on, orphaned, for days.
public enum RunningCommands {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var groups: Set<pid_t> = []
    nonisolated(unsafe) private static var stopping = false

    /// Records a started command's group; false (record nothing) once ``stopAll(grace:)`` began,
    /// and the caller must then end the command itself.
    static func insert(_ group: pid_t) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !stopping else { return false }
        groups.insert(group)
        return true
    }

    /// Forgets a group; call it before reaping the group's leader, so that the id is not reused
    /// while it is still recorded.
    static func remove(_ group: pid_t) {
        lock.lock()
        defer { lock.unlock() }
        groups.remove(group)
    }

    /// Whether ``stopAll(grace:)`` began: no new command may start.
    public static var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    /// Refuses new commands, sends SIGTERM to every running command's group, waits up to `grace`
    /// seconds for their runners to reap them, then sends SIGKILL to what is left.
    /// - Returns: how many commands were running.
    @discardableResult
    public static func stopAll(grace: Double) -> Int {
        lock.lock()
        stopping = true
        let running = groups
        lock.unlock()
        for group in running { kill(-group, SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline {
            lock.lock()
            let left = groups
            lock.unlock()
            if left.isEmpty { return running.count }
            usleep(20_000)
        }
        lock.lock()
        let left = groups
        lock.unlock()
        for group in left { kill(-group, SIGKILL) }
        return running.count
    }
}
