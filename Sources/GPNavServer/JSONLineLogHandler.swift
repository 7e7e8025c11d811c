import Foundation
import Logging

/// A swift-log handler that writes each entry as one JSON object on a line (`time`, `level`,
/// `label`, `message`, then the metadata as string fields), for log collectors. Lines go to
/// standard error, one `write` each, so lines of concurrent requests never interleave.
public struct JSONLineLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let write: @Sendable (String) -> Void

    /// A handler for `label` writing to standard error, or to `write` (tests collect the lines).
    public init(label: String, write: (@Sendable (String) -> Void)? = nil) {
        self.label = label
        self.write = write ?? { line in FileHandle.standardError.write(Data(line.utf8)) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, entry in entry }) {
            fields[key] = value.description
        }
        fields["time"] = ISO8601DateFormatter.string(from: Date(), timeZone: .gmt,
                                                     formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["message"] = event.message.description
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(fields) else { return }
        write(String(decoding: data, as: UTF8.self) + "\n")
    }
}

/// How `gpnav serve` writes its log: plain text lines, or JSON lines (``JSONLineLogHandler``).
public enum ServerLogFormat: String, Sendable, CaseIterable {
    case text, json

    /// A logger writing to standard error in this format, from `level` up.
    public func makeLogger(label: String = "gpnav.serve", level: Logger.Level) -> Logger {
        var logger = switch self {
        case .text: Logger(label: label, factory: { StreamLogHandler.standardError(label: $0) })
        case .json: Logger(label: label, factory: { JSONLineLogHandler(label: $0) })
        }
        logger.logLevel = level
        return logger
    }
}
