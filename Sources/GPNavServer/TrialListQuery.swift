import GPNav

/// The query of `GET .../trials`: `state`, `sort`, `desc`, `limit`, parsed once into a
/// ``TrialQuery``; a malformed value is a 400 naming the parameter (one given twice is refused
/// before, by ``SingleQueryParametersMiddleware``).
struct TrialListQuery {
    var state: TrialState?
    var sort: TrialQuery.SortKey = .number
    var descending = false
    var limit: Int?

    init(state: String?, sort: String?, desc: String?, limit: String?) throws {
        if let text = state {
            guard let state = TrialState(rawValue: text) else {
                throw APIError.badParameter(name: "state", detail: "use one of \(TrialState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.state = state
        }
        if let text = sort {
            guard let sort = TrialQuery.SortKey(rawValue: text) else {
                throw APIError.badParameter(name: "sort", detail: "use one of \(TrialQuery.SortKey.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.sort = sort
        }
        if let text = desc {
            switch text {
            case "", "true", "1": descending = true
            case "false", "0": descending = false
            default: throw APIError.badParameter(name: "desc", detail: "use true or false")
            }
        }
        if let text = limit {
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
