import Foundation
import GPNav

/// Calls `operation` until the server answers: an unreachable server (``ServiceClientError/unreachable(_:)``)
/// is tried again after waits that double from `backoff`'s lower bound up to its upper bound, each
/// wait told to `unreachable` (the detail, the seconds); any other error is thrown. Nil when the
/// task is cancelled while waiting.
func untilAnswered<T>(backoff: ClosedRange<Double>, unreachable: (String, Double) -> Void,
                      _ operation: () async throws(ServiceClientError) -> T) async throws(ServiceClientError) -> T? {
    var wait = backoff.lowerBound
    while true {
        if Task.isCancelled { return nil }
        do {
            return try await operation()
        } catch .unreachable(let detail) {
            // A call cancelled while waiting for its answer is not the server's failure.
            if Task.isCancelled { return nil }
            unreachable(detail, wait)
            do { try await Task.sleep(for: Seconds(clamping: wait).duration) } catch { return nil }
            wait = min(wait * 2, backoff.upperBound)
        }
    }
}
