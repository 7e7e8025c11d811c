import Foundation
import GaussianProcess
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Work that yields the cores to everything else of the process: it runs on a thread of its own
/// whose nice value is raised, so that asks, results and heartbeats come first when the cores are
/// busy, and it takes what they leave. (A dispatch thread is not reniced: it would stay so for
/// whatever it runs next.)
public enum NicedThread {
    /// How much nicer than the process (and than its caller) the thread runs: at 10, the kernel
    /// gives it about a tenth of the share of a thread at the process's own value when both want
    /// a core.
    public static let niceness: Int32 = 10

    /// Runs `work` on a new thread named `name` at ``niceness`` and waits for it, blocking the
    /// caller's thread (call it from a queue of one's own, never from Swift's cooperative pool).
    /// - Throws: what `work` throws.
    public static func run<Value: Sendable>(name: String, _ work: @escaping @Sendable () throws -> Value) throws -> Value {
        let finished = DispatchSemaphore(value: 0)
        // Replaced by the thread before it signals.
        let result = Mutex<Result<Value, any Error>>(.failure(CancellationError()))
        let thread = Thread {
            #if canImport(Glibc)
            // On Linux the nice value is a property of each thread, and `who` 0 is this thread,
            // which starts at its creator's value. libdispatch sets its threads' values absolutely,
            // so a dispatch thread of `nice -n 10 gpnav serve` may run at 0: the base is the larger
            // of this thread's and the main thread's (whose id is the process id), the value gpnav
            // was started with.
            let which = __priority_which_t(PRIO_PROCESS.rawValue)
            let own = getpriority(which, 0)
            _ = setpriority(which, 0, max(own, ThreadNiceness.mainThreadValue() ?? own) + niceness)
            #endif
            let outcome = Result { try work() }
            result.withLock { $0 = outcome }
            finished.signal()
        }
        thread.name = name
        thread.start()
        finished.wait()
        return try result.withLock { $0 }.get()
    }
}
