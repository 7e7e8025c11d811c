/// The strict JSON rules of ``StrictJSON`` (exactly RFC 8259, no key twice in one object, at most
/// 64 levels deep) for readers outside the library, such as the server's request bodies: a body
/// with a duplicate key is refused rather than read as whichever value a decoder keeps.
public enum StrictJSONObject {
    /// Why the bytes are not one strict JSON object, with the byte offset where reading stopped.
    public struct Violation: Error, Equatable, Sendable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "\(message) (at byte \(offset))" }
    }

    /// Checks that `bytes` hold exactly one JSON object under the strict rules.
    public static func check(_ bytes: some Collection<UInt8>) throws(Violation) {
        do {
            _ = try StrictJSON.object(bytes)
        } catch {
            throw Violation(offset: error.offset, message: error.message)
        }
    }
}
