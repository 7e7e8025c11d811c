import Foundation
import GPNav
import Hummingbird
import NIOCore

/// Reading request bodies and writing responses as JSON: snake_case keys given by the types,
/// sorted keys, no NaN or infinity (JSON has none).
enum JSONBody {
    /// The body decoded as `T`; malformed JSON (a duplicate key included) or wrong types throw
    /// ``APIError/malformedBody(_:)``,
    /// an empty body reads as `{}` so that routes whose fields are all optional take none.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        var data = Data(buffer: buffer)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) { data = Data("{}".utf8) }
        // Strictly JSON first: a key given twice would otherwise be read as whichever value the
        // decoder keeps, and a proxy or a log reader may keep the other.
        do {
            try StrictJSONObject.check(data)
        } catch {
            throw APIError.malformedBody(error.description)
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            // The body is strict JSON (checked above): what the decoder calls "not valid JSON" is a
            // number it cannot store in the field's type (Foundation names neither).
            throw APIError.malformedBody("a number is out of range, or not a whole number where one is expected "
                                         + "(integers are 64-bit)")
        } catch let error as DecodingError {
            throw APIError.malformedBody(describe(error))
        }
    }

    /// A response with `value` as its JSON body.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return response(data: try encoder.encode(value), contentType: "application/json", status: status)
        } catch {
            let fallback = #"{"error":"response could not be encoded as JSON"}"#
            return response(data: Data(fallback.utf8), contentType: "application/json", status: .internalServerError)
        }
    }

    /// A response with a body of the given type.
    static func response(data: Data, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A decoding error in one line, naming the field at fault.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "the body" : "'\(keys.joined(separator: "."))'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.map(\.stringValue)
            return "missing key '\((parent + [key.stringValue]).joined(separator: "."))'"
        case .typeMismatch(let type, let context):
            return "wrong type at \(path(context)) (expected \(type))"
        case .valueNotFound(let type, let context):
            return "null at \(path(context)) (expected \(type))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "bad value at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "unreadable"
        }
    }
}
