import MobileViT
import Synchronization

/// Architectures decoded from their stored canonical JSON text, kept for the texts read again.
/// A server reads a study's trials at every turn of asks, and decoding each row's architecture
/// is most of such a read; the text fully determines the architecture, so a decoded one can be
/// reused as it is. Holds at most ``limit`` texts (a full cache is emptied and filled again).
/// Safe for concurrent readers.
enum ArchitectureTextCache {
    /// Enough for every trial of a few large studies; a few megabytes.
    static let limit = 20_000
    private static let decoded = Mutex<[String: Architecture]>([:])

    /// The architecture of `text` (canonical JSON), decoded once.
    /// - Throws: ``ArchitectureError`` for text that holds no valid architecture (not kept).
    static func architecture(_ text: String) throws(ArchitectureError) -> Architecture {
        if let known = decoded.withLock({ $0[text] }) { return known }
        let architecture = try Architecture(canonicalJSON: text)
        decoded.withLock { cache in
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            cache[text] = architecture
        }
        return architecture
    }
}
