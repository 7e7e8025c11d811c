import Foundation

/// Timestamps as the store keeps them: ISO 8601 UTC text with milliseconds,
/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, which sorts as text in time order.
///
/// Times are rounded to the nearest millisecond; that is the precision a stored time round-trips at.
enum StoreTime {
    /// The first and last instants the format can write: years 0000 to 9999.
    static let writableSeconds: ClosedRange<Double> = -62_167_219_200...253_402_300_799.999

    /// The stored text for `date`; a date outside years 0000 to 9999 (a cut-off a lease of
    /// centuries puts before year 0) is written as the nearest end of that range, so that it
    /// still compares as text in time order and no conversion overflows.
    static func text(_ date: Date) -> String {
        let since1970 = date.timeIntervalSince1970.isNaN ? 0 : date.timeIntervalSince1970
        let clamped = min(max(since1970, writableSeconds.lowerBound), writableSeconds.upperBound)
        let totalMilliseconds = (clamped * 1000).rounded()
        let seconds = Int((totalMilliseconds / 1000).rounded(.down))
        let milliseconds = Int(totalMilliseconds) - seconds * 1000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func digits(_ value: Int, _ count: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, count - text.count)) + text
        }
        // Built by hand: String(format:) is slow on Linux, and listings format many times.
        return digits(Int(parts.tm_year) + 1900, 4) + "-" + digits(Int(parts.tm_mon) + 1, 2) + "-"
            + digits(Int(parts.tm_mday), 2) + "T" + digits(Int(parts.tm_hour), 2) + ":" + digits(Int(parts.tm_min), 2)
            + ":" + digits(Int(parts.tm_sec), 2) + "." + digits(milliseconds, 3) + "Z"
    }

    /// The date a stored text stands for, or nil when it is not in the stored format.
    static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        // Accept the format written above, and also whole seconds (`...SSZ`) for hand-edited rows.
        guard bytes.count == 24 || bytes.count == 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        let separators: [(Int, Character)] = [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":")]
        for (index, separator) in separators where bytes[index] != separator.asciiValue { return nil }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var milliseconds = 0
        if bytes.count == 24 {
            guard bytes[19] == UInt8(ascii: "."), let value = number(20..<23) else { return nil }
            milliseconds = value
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + Double(milliseconds) / 1000)
    }
}
