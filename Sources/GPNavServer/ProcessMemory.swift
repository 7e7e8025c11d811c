import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The resident memory of this process, for `/metrics` and the service benchmarks.
public enum ProcessMemory {
    /// Bytes of this process resident in RAM now (Linux: `/proc/self/statm`); nil where unknown.
    public static func residentBytes() -> Int? {
        #if os(Linux)
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return nil
        #endif
    }
}
