import MobileViT

/// An architecture's JSON keys (resolution, width, mv2_depths, vit_depths, classes) followed by a
/// command's own fields in the same object.
struct ArchitectureJSON<Fields: Encodable>: Encodable {
    var architecture: Architecture
    var fields: Fields

    func encode(to encoder: any Encoder) throws {
        try architecture.encode(to: encoder)
        try fields.encode(to: encoder)
    }
}
