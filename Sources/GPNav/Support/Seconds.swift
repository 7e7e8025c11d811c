import Foundation

/// A span of time that came from outside (a flag, the environment, a file, an HTTP reply),
/// checked once: a finite number of seconds from 0 to ``maximum``.
///
/// Every duration gpnav reads goes through this type before it becomes a `Duration`, a
/// `TimeInterval` added to a date or a sleep: those conversions trap (or wrap) on values such as
/// 1e20, NaN or a negative number, and a year is longer than any time-out, lease or pause gpnav
/// has a use for. Within the bound every conversion here is exact enough and cannot trap.
public struct Seconds: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The longest span accepted: 365 days.
    public static let maximum: Double = 365 * 86_400

    /// The number of seconds, finite and within `0...maximum`.
    public let value: Double

    /// Checks `value`; `allowingZero` admits 0 (an immediate lapse), otherwise it must be positive.
    /// - Throws: ``SecondsError`` saying what the value is not.
    public init(_ value: Double, allowingZero: Bool = false) throws(SecondsError) {
        guard value.isFinite, allowingZero ? value >= 0 : value > 0, value <= Self.maximum else {
            throw SecondsError(text: Self.shown(value), allowingZero: allowingZero)
        }
        self.value = value
    }

    /// `value` brought into `0...maximum` (NaN becomes 0): for values written in the source, such
    /// as defaults, and for spans derived from checked ones.
    public init(clamping value: Double) {
        self.value = value.isNaN ? 0 : min(max(value, 0), Self.maximum)
    }

    /// Parses decimal text (see ``NumberText``) and checks it as ``init(_:allowingZero:)`` does.
    public init(parsing text: String, allowingZero: Bool = false) throws(SecondsError) {
        guard let value = NumberText.double(text) else {
            throw SecondsError(text: text, allowingZero: allowingZero)
        }
        try self.init(value, allowingZero: allowingZero)
    }

    /// Parses a span with an optional unit, `90`, `90s`, `30m`, `2h` or `1.5d` (seconds when
    /// none), and checks it as ``init(_:allowingZero:)`` does: what a user writes for a time limit.
    public init(parsingSpan text: String, allowingZero: Bool = false) throws(SecondsError) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let unit = trimmed.last.flatMap { units[$0] }
        let number = unit == nil ? trimmed : String(trimmed.dropLast())
        guard let value = NumberText.double(number) else {
            throw SecondsError(text: text, allowingZero: allowingZero)
        }
        try self.init(value * (unit ?? 1), allowingZero: allowingZero)
    }

    /// The span in the largest unit that writes it whole or to three digits: `2h`, `90m`, `45s`.
    public var spanText: String {
        for (unit, size) in [("d", 86_400.0), ("h", 3_600.0), ("m", 60.0)] where value >= size && value.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int64(value / size))\(unit)"
        }
        return value == value.rounded() ? "\(Int64(value))s" : String(format: "%.3gs", value)
    }

    /// The span as a `Duration` (for sleeps and time limits).
    public var duration: Duration { .seconds(value) }

    /// The span as a `TimeInterval` (for dates).
    public var timeInterval: TimeInterval { value }


    public static func < (lhs: Seconds, rhs: Seconds) -> Bool { lhs.value < rhs.value }

    public var description: String { Self.shown(value) }

    private static func shown(_ value: Double) -> String {
        value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}

/// A duration that is not a finite number of seconds within ``Seconds/maximum``.
public struct SecondsError: UserFacingError, Equatable {
    /// The value as given.
    public var text: String
    public var allowingZero: Bool

    public var kind: FailureKind { .usage }

    public var description: String {
        "\(TerminalText.escaped(String(text.prefix(40)))) is not \(allowingZero ? "0 or more" : "more than 0") seconds "
            + "and at most \(Int64(Seconds.maximum)) (365 days)"
    }
}
