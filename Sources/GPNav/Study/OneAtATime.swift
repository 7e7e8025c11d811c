import Foundation

/// Runs async operations one at a time, in the order they arrive: a caller that finds one
/// running is suspended (no thread waits) until the ones before it have finished.
final class OneAtATime: @unchecked Sendable {
    // Guards the fields below; never held across a suspension.
    private let lock = NSLock()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` once every earlier call has finished; later calls wait for it in turn.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let free: Bool = lock.withLock {
                if !busy {
                    busy = true
                    return true
                }
                waiting.append(continuation)
                return false
            }
            if free { continuation.resume() }
        }
    }

    /// Hands the turn to the first waiting caller, or frees it.
    private func leave() {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            guard !waiting.isEmpty else {
                busy = false
                return nil
            }
            return waiting.removeFirst()
        }
        next?.resume()
    }
}
