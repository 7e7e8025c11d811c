import Foundation
import MobileViT

/// Why an experiment could not run, in words.
public struct ExperimentError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The median of `values`; NaN for none.
public func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// An experiment's command line: `--name value` pairs, each name one of those it knows.
public struct ExperimentFlags {
    private var values: [String: String] = [:]

    /// - Throws: ``ExperimentError`` for an unknown flag or one without a value.
    public init(_ arguments: [String], known: Set<String>) throws {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard known.contains(flag) else { throw ExperimentError("unknown flag \(flag)") }
            guard let value = iterator.next() else { throw ExperimentError("\(flag) needs a value") }
            values[flag] = value
        }
    }

    /// The whole number given for `flag`, or `fallback`.
    /// - Throws: ``ExperimentError`` when the value is not a whole number.
    public func integer(_ flag: String, _ fallback: Int) throws -> Int {
        guard let text = values[flag] else { return fallback }
        guard let value = Int(text) else { throw ExperimentError("\(flag) must be a whole number, got \(text)") }
        return value
    }

    /// The text given for `flag`, or `fallback`.
    public func text(_ flag: String, _ fallback: String) -> String { values[flag] ?? fallback }

    /// The comma-separated counts given for `flag` (`100M,300M`), or `fallback`.
    public func counts(_ flag: String, _ fallback: [Int]) throws -> [Int] {
        guard let text = values[flag] else { return fallback }
        return try text.split(separator: ",").map { try Quantity.parseCount(String($0)) }
    }
}

/// What `make` returns, or, when it throws (bad flags), its error as one line on stderr and exit
/// status 2.
public func parsedOrExit<T>(_ make: () throws -> T) -> T {
    do {
        return try make()
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        exit(2)
    }
}
