import Foundation
import OpenAPIRuntime

/// The OpenAPI document of the API: `openapi.json` beside this file, the one source of the wire
/// contract. The build generates the server interface (``GPNavAPI`` implements it) and the
/// worker's client from it, and `GET /openapi.json` serves it as written.
enum OpenAPIDocument {
    /// The document's bytes, embedded in the binary at build time.
    static var data: Data { Data(PackageResources.openapi_json) }

    /// The document's text.
    static var json: String { String(decoding: PackageResources.openapi_json, as: UTF8.self) }

    /// The document as the JSON object the `openapi` operation answers with.
    static func object() throws -> OpenAPIObjectContainer {
        try JSONDecoder().decode(OpenAPIObjectContainer.self, from: data)
    }
}
