/// One line of a command's stdout, as ``LineSplitter`` hands it on.
enum StdoutLine {
    /// A line without its newline, at most the splitter's `maxLength` bytes.
    case text(ArraySlice<UInt8>)
    /// A line longer than `maxLength`, not kept: its 1-based number on stdout, its length in
    /// bytes, and whether it holds the `"accuracy"` key (it was then meant as the result).
    case overlong(number: Int, bytes: Int, mentionsAccuracy: Bool)
}

/// Splits a byte stream into lines; a line longer than `maxLength` is counted, not kept.
struct LineSplitter {
    let maxLength: Int
    private var current: [UInt8] = []
    private var number = 1
    /// Bytes of the current line, for an overlong one (whose bytes are not kept).
    private var overlongBytes: Int?
    private var accuracyKey = AccuracyKeyMatcher()

    init(maxLength: Int) { self.maxLength = maxLength }

    mutating func feed(_ chunk: ArraySlice<UInt8>, to handler: (StdoutLine) -> Void) {
        var rest = chunk
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            append(rest[rest.startIndex..<newline])
            endLine(to: handler)
            rest = rest[(newline + 1)...]
        }
        append(rest)
    }

    mutating func finish(to handler: (StdoutLine) -> Void) {
        if overlongBytes != nil || !current.isEmpty { endLine(to: handler) }
    }

    private mutating func endLine(to handler: (StdoutLine) -> Void) {
        if let bytes = overlongBytes {
            handler(.overlong(number: number, bytes: bytes, mentionsAccuracy: accuracyKey.found))
        } else {
            handler(.text(current[...]))
        }
        current.removeAll(keepingCapacity: current.count <= 1 << 20)
        overlongBytes = nil
        accuracyKey = AccuracyKeyMatcher()
        number += 1
    }

    private mutating func append(_ part: ArraySlice<UInt8>) {
        if let bytes = overlongBytes {
            overlongBytes = bytes + part.count
            accuracyKey.scan(part)
        } else if current.count + part.count > maxLength {
            overlongBytes = current.count + part.count
            accuracyKey.scan(current[...])
            accuracyKey.scan(part)
            current.removeAll()
        } else {
            current.append(contentsOf: part)
        }
    }
}

/// Finds `"accuracy"` in a line read in pieces, without keeping the line.
struct AccuracyKeyMatcher {
    private static let key = Array("\"accuracy\"".utf8)
    /// How many bytes of the key the bytes so far end with.
    private var matched = 0
    private(set) var found = false

    mutating func scan(_ bytes: ArraySlice<UInt8>) {
        guard !found else { return }
        for byte in bytes {
            if byte == Self.key[matched] {
                matched += 1
                if matched == Self.key.count { found = true; return }
            } else {
                // The key's only border is its opening quote: a mismatched quote starts a new match.
                matched = byte == Self.key[0] ? 1 : 0
            }
        }
    }
}
