import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on one trial's files that holds across processes: an advisory `flock(2)` on
/// the trial's lock file (``TrialFiles/lock``).
///
/// ``TrialCommandTurns`` keeps two commands of one trial apart within a process; two workers that
/// share a configuration directory are two processes. When one stops a training at a rung and the
/// service hands the paused trial to the other at once, the stopped command may still be in its
/// grace period between SIGTERM and SIGKILL, writing the checkpoint the continued one reads. The
/// lock is taken before a command starts and given back once it has exited. A `flock` belongs to
/// an open file description, so two opens of the file exclude each other in one process as well,
/// and the kernel releases it when the holder exits, even by SIGKILL: no lock outlives a worker.
/// It is opened close-on-exec, so a training command never holds another trial's lock.
final class TrialFileLock {
    /// The open lock file; -1 once given back.
    private var descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Returns once this process holds the lock at `url` (created when missing, with its folder),
    /// asking again every `poll` while another holder has it.
    /// - Throws: ``TrialFileLockError`` when the file cannot be opened or locked, or the task is
    ///   cancelled while it waits.
    static func acquire(at url: URL, poll: Duration = .milliseconds(50)) async throws(TrialFileLockError)
        -> TrialFileLock {
        while true {
            if let lock = try tryAcquire(at: url) { return lock }
            do {
                try await Task.sleep(for: poll)
            } catch {
                throw .cancelled(path: url.path)
            }
        }
    }

    /// The lock at `url` when no one else holds it, or nil.
    /// - Throws: ``TrialFileLockError/unusable(path:reason:)`` when the file cannot be opened or locked.
    static func tryAcquire(at url: URL) throws(TrialFileLockError) -> TrialFileLock? {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Never through a symbolic link: the lock is the trial's own file, not whatever a link names.
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { throw .unusable(path: url.path, reason: String(cString: strerror(errno))) }
        var result: Int32
        repeat {
            result = flock(descriptor, LOCK_EX | LOCK_NB)
        } while result != 0 && errno == EINTR
        if result == 0 { return TrialFileLock(descriptor: descriptor) }
        let code = errno
        close(descriptor)
        guard code == EWOULDBLOCK else { throw .unusable(path: url.path, reason: String(cString: strerror(code))) }
        return nil
    }

    /// Gives the lock back (closing the file releases it); nothing happens a second time.
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit {
        release()
    }
}

/// Why a trial's lock could not be taken.
enum TrialFileLockError: Error, Sendable, Equatable, CustomStringConvertible {
    case unusable(path: String, reason: String)
    case cancelled(path: String)

    var description: String {
        switch self {
        case .unusable(let path, let reason): "cannot lock \(path): \(reason)"
        case .cancelled(let path): "cancelled while waiting for the lock \(path)"
        }
    }
}
