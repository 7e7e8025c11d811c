/// Numbers written as text (CSV cells, depth lists, flag values), read whole or not at all.
///
/// Swift's `Double(String)` hands the text to C's `strtod`, which stops at the first NUL byte:
/// `"50\0junk"` reads as 50. Every parser of file and command-line text goes through here, which
/// first requires the text to consist of decimal-number characters only (digits, one sign, a
/// point, an exponent), so that a NUL, a space inside the number or trailing text makes the whole
/// cell unreadable, never a shorter number. Hexadecimal is not a number here; the words `nan`,
/// `inf` and `infinity` (any case, signed) are, so that the caller can say they are not finite.
public enum NumberText {
    /// The decimal number that `text` is exactly, after trimming spaces and tabs at both ends;
    /// nil for anything else (empty, a NUL, trailing text, `0x1p3`). Callers check finiteness.
    public static func double(_ text: some StringProtocol) -> Double? {
        let trimmed = trimmed(text)
        guard !trimmed.isEmpty else { return nil }
        let unsigned = trimmed.first == "+" || trimmed.first == "-" ? trimmed.dropFirst() : trimmed
        guard unsigned.unicodeScalars.allSatisfy(isNumberScalar)
                || ["nan", "inf", "infinity"].contains(unsigned.lowercased()) else { return nil }
        return Double(String(trimmed))
    }

    /// The whole number that `text` is exactly (an optional sign and digits, spaces and tabs at
    /// both ends allowed); nil for anything else, including values beyond `Int`.
    public static func integer(_ text: some StringProtocol) -> Int? {
        let trimmed = trimmed(text)
        guard !trimmed.isEmpty, trimmed.unicodeScalars.allSatisfy({ isDigit($0) || $0 == "+" || $0 == "-" }) else {
            return nil
        }
        return Int(String(trimmed))
    }

    private static func trimmed(_ text: some StringProtocol) -> Substring {
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return Substring(scalars)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isNumberScalar(_ scalar: Unicode.Scalar) -> Bool {
        isDigit(scalar) || scalar == "+" || scalar == "-" || scalar == "." || scalar == "e" || scalar == "E"
    }
}
