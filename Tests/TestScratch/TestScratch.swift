import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where tests put their files: one root directory per test process under the system's temporary
/// directory, removed when that process exits.
///
/// Tests make thousands of small directories and files (stores, configs, scripts, a command's
/// output), and removing each one where it is made is unreliable: a fixture's deinit can run while
/// a child process still uses its files, and a failed `#require` leaves no chance to clean up. So
/// every one of them lives inside this process's root, which goes as a whole at exit. A root left by
/// a test process that never exited (kill -9, a crash) is removed by the next test process that
/// starts, and never one whose process is still running, such as another `swift test` beside it.
public enum TestScratch {
    /// A new, empty directory `<root>/<prefix>-<UUID>`.
    public static func directory(_ prefix: String) throws -> String {
        let path = try path(prefix)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A new path `<root>/<prefix>-<UUID><suffix>` that nothing has created yet.
    public static func path(_ prefix: String, suffix: String = "") throws -> String {
        try root.get() + "/" + prefix + "-" + UUID().uuidString + suffix
    }

    private static let rootPrefix = "gpnav-tests."

    /// This process's root, made on first use; its removal at exit is registered with it.
    private static let root: Result<String, any Error> = Result {
        removeRootsOfDeadProcesses()
        let path = NSTemporaryDirectory() + rootPrefix + String(getpid())
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { TestScratch.removeRoot() }
        return path
    }

    private static func removeRoot() {
        if case .success(let path) = root { try? FileManager.default.removeItem(atPath: path) }
    }

    private static func removeRootsOfDeadProcesses() {
        let temporary = NSTemporaryDirectory()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        for name in names where name.hasPrefix(rootPrefix) {
            guard let pid = pid_t(name.dropFirst(rootPrefix.count)), pid != getpid() else { continue }
            // kill with signal 0 only asks whether the process exists.
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: temporary + name)
            }
        }
    }
}
