import ArgumentParser
import GPNav

/// Numeric command-line values, checked against their range while they are parsed.
///
/// Every numeric option of every command reads its value through one of these parsers, so a
/// value out of range (huge, negative, `nan`, `inf`) is refused with a message naming the range
/// before any command runs (a study's settings are read whole and checked by the library before
/// any store is opened), and nothing downstream converts an unchecked number (a `Duration`
/// from 1e20 seconds, an `Int` from 1e300) and traps. The text is read by the library's
/// ``NumberText`` and durations are checked by its ``Seconds``.
enum ArgumentRange {
    /// A whole number within `range`.
    static func count(_ range: ClosedRange<Int>) -> @Sendable (String) throws -> Int {
        { text in
            guard let value = NumberText.integer(text), range.contains(value) else {
                throw OutOfRange(expected: range.upperBound == Int.max
                    ? "a whole number of at least \(range.lowerBound)"
                    : "a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
    }

    /// A finite number within `range`; `open` excludes both ends.
    static func number(_ range: ClosedRange<Double>, open: Bool = false, unit: String = "") -> @Sendable (String) throws -> Double {
        { text in
            let value = NumberText.double(text)
            let inside = value.map { value in
                value.isFinite && (open ? value > range.lowerBound && value < range.upperBound : range.contains(value))
            } ?? false
            guard let value, inside else {
                let ends = "\(Self.short(range.lowerBound)) \(open ? "and" : "to") \(Self.short(range.upperBound))"
                throw OutOfRange(expected: "a number \(open ? "strictly between" : "from") \(ends)\(unit)")
            }
            return value
        }
    }

    /// A step factor, in the library's range (``StudySettings/stepFactorBounds``, ends excluded).
    static var stepFactor: @Sendable (String) throws -> Double {
        number(StudySettings.stepFactorBounds.lower...StudySettings.stepFactorBounds.upper, open: true)
    }

    /// Any whole number that fits in an `Int`, for a value whose range the library checks (a
    /// study's settings: ``StudySettings/validate()``).
    static var wholeNumber: @Sendable (String) throws -> Int {
        { text in
            guard let value = NumberText.integer(text) else { throw OutOfRange(expected: "a whole number") }
            return value
        }
    }

    /// Any number (NaN and infinities included), for a value whose range the library checks.
    static var anyNumber: @Sendable (String) throws -> Double {
        { text in
            guard let value = NumberText.double(text) else { throw OutOfRange(expected: "a number") }
            return value
        }
    }

    /// Seconds from 0 up to ``Seconds/maximum`` (a year); `positive` excludes zero.
    static func seconds(positive: Bool) -> @Sendable (String) throws -> Seconds {
        { text in
            do {
                return try Seconds(parsing: text, allowingZero: !positive)
            } catch {
                throw OutOfRange(expected: "\(positive ? "more than 0" : "0 or more") seconds, at most \(Int(Seconds.maximum)) (365 days)")
            }
        }
    }

    /// A span with an optional unit (`90`, `30m`, `2h`, `1.5d`), more than 0 and at most 365 days.
    static func span() -> @Sendable (String) throws -> Seconds {
        { text in
            do {
                return try Seconds(parsingSpan: text)
            } catch {
                throw OutOfRange(expected: "a time such as 90s, 30m, 2h or 1d (seconds without a unit), more than 0 and at most 365 days")
            }
        }
    }

    private static func short(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : "\(value)"
    }

    /// The value is not a number in the option's range; ArgumentParser prefixes the option.
    struct OutOfRange: Error, CustomStringConvertible {
        var expected: String
        var description: String { "expected \(expected)" }
    }
}
