import Foundation
import GPNav

/// `POST /v1/studies`: the study's `name` and its settings, side by side in one object as the
/// API has always taken them (the wire format's reason for this adapter, with the keys its schema
/// requires: `name`, `budget`, `trials`). The settings are read by ``StudySettings``' own strict
/// decoding (unknown keys and wrong types refused, defaults for the rest) and checked by the Study
/// API as the command line's are.
struct CreateStudyBody: Decodable {
    var name: String
    var settings: StudySettings

    private enum CodingKeys: String, CodingKey {
        case name, budget, trials
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        for key in [CodingKeys.budget, .trials] where !container.contains(key) {
            throw DecodingError.keyNotFound(key, DecodingError.Context(codingPath: decoder.codingPath,
                                                                       debugDescription: "a required key"))
        }
        settings = try StudySettings(from: decoder, alsoAllowing: [CodingKeys.name.stringValue])
    }
}

/// `POST .../suggestions`: who asks, and for how many trials.
struct SuggestionBody: Decodable {
    var worker: String?
    var count: Int?
}

/// `POST .../complete`: the trial's accuracy (percent) and other numeric metrics.
struct CompleteBody: Decodable {
    var accuracy: Double
    var metrics: [String: Double]?
    var output: String?
}

/// `POST .../fail`: why the trial failed.
struct FailBody: Decodable {
    var reason: String?
    var output: String?
}
