import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps `nice -n N gpnav ...` nice in what gpnav starts.
///
/// On Linux a nice value belongs to each thread, and a new process (a spawned command, or this
/// program again after `execv`) takes the value of the thread that starts it. libdispatch's
/// worker threads, Swift's cooperative pool among them, set their own from their quality of
/// service as absolute values (0 for the default class, -4 for some), not relative to the process:
/// where the process may lower its nice value (root), `nice -n 10 gpnav search` ran itself after
/// re-executing on one BLAS thread, and every training command, at 0 or below. The main thread
/// keeps the value the process was started with.
public enum ThreadNiceness {
    /// Runs `body` with the calling thread at least as nice as the process's main thread, then
    /// gives the thread its own value back. Where the values cannot be read or set, or elsewhere
    /// than on Linux, it simply runs `body`.
    public static func likeMainThread<Result>(_ body: () throws -> Result) rethrows -> Result {
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        guard let main = mainThreadValue() else { return try body() }
        errno = 0
        let own = getpriority(which, 0)  // 0: the calling thread
        guard errno == 0, own < main, setpriority(which, 0, main) == 0 else { return try body() }
        // Lowering it again needs the privilege that let libdispatch lower it in the first place.
        defer { _ = setpriority(which, 0, own) }
        return try body()
        #else
        return try body()
        #endif
    }

    /// The main thread's nice value, the one the process was started with; nil where it cannot be
    /// read, or elsewhere than on Linux.
    public static func mainThreadValue() -> Int32? {
        #if os(Linux)
        // getpriority can return -1 as a value: errno tells it from a failure.
        errno = 0
        let main = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid()))  // the thread whose id is the process id
        return errno == 0 ? main : nil
        #else
        return nil
        #endif
    }
}
