import GPNav
import Hummingbird

/// The query of `GET .../trials`: `state`, `sort`, `desc`, `limit`, parsed once into a
/// ``TrialQuery``; a malformed value, or a parameter given twice, is a 400 naming the parameter.
struct TrialListQuery {
    var state: TrialState?
    var sort: TrialQuery.SortKey = .number
    var descending = false
    var limit: Int?

    init(_ parameters: Parameters) throws {
        if let text = try parameters.single("state") {
            guard let state = TrialState(rawValue: text) else {
                throw APIError.badParameter(name: "state", detail: "use one of \(TrialState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.state = state
        }
        if let text = try parameters.single("sort") {
            guard let sort = TrialQuery.SortKey(rawValue: text) else {
                throw APIError.badParameter(name: "sort", detail: "use one of \(TrialQuery.SortKey.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.sort = sort
        }
        if let text = try parameters.single("desc") {
            switch text {
            case "", "true", "1": descending = true
            case "false", "0": descending = false
            default: throw APIError.badParameter(name: "desc", detail: "use true or false")
            }
        }
        if let text = try parameters.single("limit") {
            guard let limit = CanonicalInteger.parse(text), limit >= 1 else {
                throw APIError.badParameter(name: "limit", detail: "must be a positive integer in plain decimal")
            }
            self.limit = limit
        }
    }

    func trialQuery(study: String) -> TrialQuery {
        TrialQuery(study: study, state: state, sort: sort, descending: descending, limit: limit)
    }
}
