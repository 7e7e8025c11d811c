import ArgumentParser
import GPNav

/// Which trial of a study a command means: a number, or `best`, the complete trial within the
/// study's budget with the highest observed accuracy the study ranks by (int8 at `--bits 8`).
enum TrialSelector: Equatable, ExpressibleByArgument {
    case number(Int)
    case best

    init?(argument: String) {
        if argument == "best" {
            self = .best
        } else if let number = Int(argument), number >= 0 {
            self = .number(number)
        } else {
            return nil
        }
    }

    /// The selected trial of `trials`, the whole study's trials (with their metrics) in number order.
    func trial(of study: Study, trials: [Trial]) throws -> Trial {
        switch self {
        case .number(let number):
            guard let found = trials.first(where: { $0.number == number }) else {
                throw UnknownTrialNumber(study: study.name, number: number, count: trials.count)
            }
            return found
        case .best:
            guard let best = StudySession.bestObserved(trials, study: study) else {
                throw NoBestTrial(study: study.name, count: trials.count)
            }
            return best
        }
    }
}

/// `best` asked of a study without a complete trial within its budget.
struct NoBestTrial: UserFacingError {
    var study: String
    var count: Int
    var kind: FailureKind { .notFound }
    var description: String {
        count == 0
            ? "study '\(study)' has no trials yet"
            : "study '\(study)' has no complete trial within its budget yet (see 'gpnav trials --study \(study)')"
    }
}
