import Foundation

/// The canonical JSON form of an architecture: the one text a store keeps per trial.
///
/// The form is the architecture's own JSON with its family's registered name added under
/// `family`, keys sorted, no whitespace, so that two equal architectures always have the same
/// text (a store may use it as a key). MobileViTv2 architectures read
/// `{"classes":1000,"family":"mobilevitv2","mv2_depths":[1,2],"resolution":256,"vit_depths":[2,4,3],"width":1}`.
extension Architecture {
    /// The canonical JSON text of this architecture (sorted keys, no whitespace).
    public var canonicalJSON: String {
        let form = CanonicalForm(architecture: self)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding integers, finite doubles and strings into JSON cannot fail.
        guard let data = try? encoder.encode(form), let text = String(data: data, encoding: .utf8) else {
            return "{}"
        }
        return text
    }

    /// Reads an architecture from its canonical JSON text, checking every factor.
    /// - Throws: ``ArchitectureError/unknownFamily(_:)`` for a family that is not registered,
    ///   ``ArchitectureError/malformedJSON(_:)`` for text that is not an architecture, or the
    ///   error of the factor that is out of bounds.
    public init(canonicalJSON text: String) throws(ArchitectureError) {
        let form: CanonicalForm
        do {
            form = try JSONDecoder().decode(CanonicalForm.self, from: Data(text.utf8))
        } catch let error as ArchitectureError {
            throw error
        } catch {
            throw .malformedJSON(String(text.prefix(80)))
        }
        self = form.architecture
    }
}

/// The canonical form's fields: the family's name (required) and the architecture's own keys.
private struct CanonicalForm: Codable {
    let architecture: Architecture

    init(architecture: Architecture) {
        self.architecture = architecture
    }

    private enum CodingKeys: String, CodingKey { case family }

    init(from decoder: any Decoder) throws {
        // The family must be named; the architecture's decoder then reads it.
        _ = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .family)
        architecture = try Architecture(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try architecture.encodeFields(to: encoder, includingFamily: true)
    }
}
