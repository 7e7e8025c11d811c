import Foundation
import GPNav
import Hummingbird
import NIOCore

/// Writing error responses as JSON, and the one-line description of a body the generated
/// decoder could not read.
enum JSONBody {
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
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // Bodies reach the decoder as strict JSON (``StrictJSONBodyMiddleware``): what it calls
            // "not valid JSON" is a number it cannot store in the field's type (Foundation names neither).
            return "a number is out of range, or not a whole number where one is expected (integers are 64-bit)"
        case .dataCorrupted(let context):
            return "bad value at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "unreadable"
        }
    }
}

/// Reads every POST body (up to ``ServerLimits/maxBodyBytes``) before the generated decoder does:
/// it must be strict JSON (no key twice in an object: a proxy or a log reader may keep the other
/// value than the decoder), an empty body reads as `{}` so that operations whose fields are all
/// optional take none, and it is read as JSON whatever its declared Content-Type (`curl -d` says
/// form data).
struct StrictJSONBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        var request = request
        var buffer = try await request.collectBody(upTo: context.maxUploadSize)
        if buffer.readableBytesView.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) {
            buffer = ByteBuffer(string: "{}")
        }
        do {
            try StrictJSONObject.check(Data(buffer: buffer))
        } catch {
            throw APIError.malformedBody(error.description)
        }
        var head = request.head
        head.headerFields[.contentType] = "application/json"
        head.headerFields[.contentLength] = String(buffer.readableBytes)
        return try await next(Request(head: head, body: RequestBody(buffer: buffer)), context)
    }
}
