import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which OpenBLAS kernels the process runs, and a way out when OpenBLAS chose too weak ones.
///
/// OpenBLAS picks its kernels for the processor once, when the library loads. Older releases
/// (Debian 12 ships 0.3.21) do not recognise some newer server processors and fall back to
/// generic SSE3 kernels ("Prescott"), which run a 2000 x 2000 Cholesky about twice as slowly as the
/// AVX2 kernels the same processor supports. The choice can only be changed before the library
/// loads, through the environment variable `OPENBLAS_CORETYPE`; ``reexecuteIfMisdetected()`` sets
/// it and starts the program again. Nothing here runs when the BLAS is not OpenBLAS.
public enum OpenBLASCore {
    /// The kernel set OpenBLAS chose (e.g. `Haswell`), or nil when the BLAS is not OpenBLAS.
    public static var selected: String? {
        // RTLD_DEFAULT: search every loaded library.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "openblas_get_corename") else { return nil }
        typealias CoreName = @convention(c) () -> UnsafeMutablePointer<CChar>?
        guard let name = unsafeBitCast(symbol, to: CoreName.self)() else { return nil }
        return String(cString: name)
    }

    /// The best OpenBLAS kernel set this processor supports, judged from the CPU flags Linux
    /// reports: `SkylakeX` with AVX-512 (F, VL, BW, DQ), `Haswell` with AVX2 and FMA, else nil.
    public static var supported: String? {
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return nil }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        if ["avx512f", "avx512vl", "avx512bw", "avx512dq"].allSatisfy(flags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(flags.contains) { return "Haswell" }
        return nil
    }

    /// Kernel sets at least as capable as AVX2 (names as `openblas_get_corename` returns them).
    private static let vectorCores: Set<String> = [
        "haswell", "skylakex", "cooperlake", "sapphirerapids", "zen", "excavator",
    ]

    /// Whether OpenBLAS runs pre-AVX2 kernels on a processor that supports AVX2 or better.
    public static var isMisdetected: Bool {
        guard let selected = selected?.lowercased(), supported != nil else { return false }
        return !vectorCores.contains(selected)
    }

    /// When `OPENBLAS_NUM_THREADS` is not set, sets it to 1 and re-executes this program with the
    /// same arguments, so that OpenBLAS computes on the calling thread only. Its worker threads pay
    /// off for large matrices on an idle machine; for the GP's (a few thousand rows at most) in a
    /// server that answers several requests at once, they spin (`sched_yield`) between calls and
    /// take the cores from the requests (measured through `gpnav serve`, 8 clients at 200 trials:
    /// ask p99 190 ms with one thread, 420 ms with OpenBLAS's default). The count can only be set
    /// safely before the library starts its threads: `openblas_set_num_threads` at run time made
    /// OpenBLAS 0.3.21 report "Bad memory unallocation" under load. Returns when nothing needed
    /// doing or the re-execution failed. For executables only, before any other work.
    public static func reexecuteWithOneThread() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil, selected != nil else { return }
        setenv("OPENBLAS_NUM_THREADS", "1", 1)
        // Called from an async command, this runs on a pool thread whose nice value is libdispatch's.
        _ = ThreadNiceness.likeMainThread { execv("/proc/self/exe", CommandLine.unsafeArgv) }
        unsetenv("OPENBLAS_NUM_THREADS")
    }

    /// When OpenBLAS chose kernels weaker than the processor supports and `OPENBLAS_CORETYPE` is
    /// not set, sets it to ``supported`` and re-executes this program with the same arguments.
    /// Returns when nothing needed doing or the re-execution failed (the program then simply
    /// runs with the slower kernels). For executables only, called first thing in `main`.
    public static func reexecuteIfMisdetected() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              isMisdetected, let core = supported else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when execv failed: carry on as we are, and do not try again in children.
        unsetenv("OPENBLAS_CORETYPE")
    }
}
