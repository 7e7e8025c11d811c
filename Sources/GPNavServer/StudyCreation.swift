import Foundation
import GPNav

/// `POST /v1/studies`: the study's `name` and its settings, side by side in one object as the
/// API has always taken them (the wire format's reason for this adapter, with the keys its schema
/// requires: `name`, `budget`, `trials`). It is the `CreateStudy` schema's type in the generated
/// code (`openapi-generator-config.yaml`), so the body is decoded straight into it: the settings
/// are read by ``StudySettings``' own strict decoding (unknown keys and wrong types refused,
/// defaults for the rest) and checked by the Study API as the command line's are.
struct CreateStudyBody: Codable, Hashable, Sendable {
    var name: String
    var settings: StudySettings

    private enum CodingKeys: String, CodingKey {
        case name, budget, trials
    }

    init(name: String, settings: StudySettings) {
        self.name = name
        self.settings = settings
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

    /// The settings' keys with `name` beside them (the generated client's form of the body).
    func encode(to encoder: any Encoder) throws {
        try settings.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
    }
}
