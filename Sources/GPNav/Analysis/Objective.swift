import Foundation

/// One quantity to optimise and its direction, written `name:max` or `name:min`.
///
/// `accuracy`, `macs` and `params` are the trial's own columns; any other name is a metric the
/// evaluator reported (a key of ``Trial/metrics``).
public struct Objective: Hashable, Sendable, CustomStringConvertible {
    /// Whether larger or smaller values are better.
    public enum Direction: String, Hashable, Sendable, CaseIterable {
        case max, min
    }

    /// The names stored as trial columns rather than metrics.
    public static let builtinNames: Set<String> = ["accuracy", "macs", "params"]

    /// Short names of stored metrics: `latency` is the measured median latency in milliseconds that
    /// a study with a latency budget stores on each trial it measured (``StudySession/latencyMetric``).
    /// Only measurements are stored on trials, never the latency model's predictions, so a front
    /// over latency holds measured trials only.
    public static let aliases = ["latency": StudySession.latencyMetric]

    /// `accuracy`, `macs`, `params`, or a metric name (letters, digits, `_`, `-`, `.`).
    public let name: String
    public let direction: Direction

    /// - Throws: ``ObjectiveError/badName(_:)`` for an empty name or one with other characters.
    public init(name: String, direction: Direction) throws(ObjectiveError) {
        let allowed = name.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-" || $0 == "."
        }
        guard !name.isEmpty, allowed else { throw .badName(name) }
        self.name = Self.aliases[name] ?? name
        self.direction = direction
    }

    /// Whether the objective is a stored metric rather than a trial column.
    public var isMetric: Bool { !Self.builtinNames.contains(name) }

    /// `name:max` or `name:min`.
    public var description: String { "\(name):\(direction.rawValue)" }

    /// The objectives a front over `studies` uses by default: the studies' own
    /// (``Study/objectives``) when they all have the same, else `accuracy:max,macs:min`.
    public static func defaults(for studies: [Study]) -> [Objective] {
        let fallback = [Objective(uncheckedName: "accuracy", direction: .max), Objective(uncheckedName: "macs", direction: .min)]
        guard let first = studies.first?.objectives, !first.isEmpty,
              studies.allSatisfy({ $0.objectives == first }),
              let parsed = try? parseList(first.joined(separator: ",")) else { return fallback }
        return parsed
    }

    private init(uncheckedName name: String, direction: Direction) {
        self.name = name
        self.direction = direction
    }

    /// Checks that every objective is a trial column or one of `metrics` (the stored metric names).
    /// - Throws: ``ObjectiveError/unknown(_:valid:)`` naming the first unknown objective and the
    ///   valid names, so that a misspelt name is an error rather than an empty front.
    public static func checkKnown(_ objectives: [Objective], metrics: [String]) throws(ObjectiveError) {
        let valid = ["accuracy", "macs", "params"] + metrics.filter { !builtinNames.contains($0) }.sorted()
        for objective in objectives where !valid.contains(objective.name) {
            throw .unknown(objective.name, valid: valid)
        }
    }

    /// Reads a comma-separated list such as `accuracy:max,macs:min`.
    /// - Throws: ``ObjectiveError`` for an empty list, a term without `:max`/`:min`, a bad name,
    ///   or a name given twice.
    public static func parseList(_ text: String) throws(ObjectiveError) -> [Objective] {
        let terms = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !(terms.count == 1 && terms[0].isEmpty) else { throw .empty }
        var objectives: [Objective] = []
        for term in terms {
            let parts = term.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let direction = Direction(rawValue: String(parts[1])) else {
                throw .malformed(term)
            }
            let objective = try Objective(name: String(parts[0]), direction: direction)
            guard !objectives.contains(where: { $0.name == objective.name }) else { throw .duplicate(objective.name) }
            objectives.append(objective)
        }
        return objectives
    }
}

/// Why an objective list could not be read.
public enum ObjectiveError: UserFacingError, Equatable, Sendable {
    case empty
    case malformed(String)
    case badName(String)
    case duplicate(String)
    case unknown(String, valid: [String])

    public var kind: FailureKind { .usage }

    public var description: String {
        switch self {
        case .empty:
            "no objectives given: write e.g. accuracy:max,macs:min"
        case .malformed(let term):
            "objective '\(term)' must be NAME:max or NAME:min, e.g. accuracy:max or macs:min"
        case .badName(let name):
            "objective name '\(name)' must be accuracy, macs, params, latency or a metric name of letters, digits, '_', '-' or '.'"
        case .duplicate(let name):
            "objective '\(name)' is given twice"
        case .unknown(let name, let valid):
            "unknown objective '\(name)': the trials have \(valid.joined(separator: ", "))"
        }
    }
}
