import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Names the process that runs a trial (`<host>:<pid>`), and tells whether such a process is gone.
public enum WorkerIdentity {
    /// This process: `<host>:<pid>`.
    public static let current = "\(hostName):\(getpid())"

    private static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// Slot `slot` of this process, `<host>:<pid>/<slot>`, for a process that runs several trials
    /// at once (each slot asks for its own trials).
    public static func slot(_ slot: Int) -> String { "\(current)/\(slot)" }

    /// The slot a worker name carries (`.../<slot>`, as ``slot(_:)`` and `gpnav worker --slots`
    /// name them); nil for a name without one.
    public static func slotNumber(of worker: String) -> Int? {
        guard let slash = worker.lastIndex(of: "/") else { return nil }
        let text = worker[worker.index(after: slash)...]
        guard !text.isEmpty, text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// Whether `worker` names a process on this host that no longer exists. A process elsewhere,
    /// or a name that does not parse, is never judged gone here (its heartbeat decides); a reused
    /// pid makes a dead worker look alive, which again leaves the verdict to the heartbeat.
    public static func isGone(_ worker: String) -> Bool {
        let process = worker.split(separator: "/", maxSplits: 1).first ?? worker[...]
        guard let colon = process.lastIndex(of: ":"), process[..<colon] == hostName,
              let pid = pid_t(process[process.index(after: colon)...]), pid > 0 else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
