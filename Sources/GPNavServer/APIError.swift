import Hummingbird

/// A request the API refuses for reasons of HTTP itself (not of the study): each case has its
/// status and one line for the `{"error": ...}` body.
public enum APIError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The body is not JSON, or not the JSON this route takes.
    case malformedBody(String)
    /// A path or query parameter is malformed.
    case badParameter(name: String, detail: String)
    /// No valid bearer token.
    case unauthorized
    /// No such route.
    case noRoute(method: String, path: String)
    /// The path is served, but not with this method; `allowed` are the methods it takes.
    case methodNotAllowed(method: String, path: String, allowed: [String])
    /// The body is over ``ServerLimits/maxBodyBytes``.
    case bodyTooLarge

    public var status: HTTPResponse.Status {
        switch self {
        case .malformedBody, .badParameter: .badRequest
        case .unauthorized: .unauthorized
        case .noRoute: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .bodyTooLarge: .contentTooLarge
        }
    }

    public var description: String {
        switch self {
        case .malformedBody(let detail): "malformed request body: \(detail)"
        case .badParameter(let name, let detail): "bad parameter '\(name)': \(detail)"
        case .unauthorized: "missing or wrong bearer token"
        case .noRoute(let method, let path): "no route \(method) \(path)"
        case .methodNotAllowed(let method, let path, let allowed):
            "method \(method) not allowed on \(path) (allowed: \(allowed.joined(separator: ", ")))"
        case .bodyTooLarge: "request body over \(ServerLimits.maxBodyBytes) bytes"
        }
    }
}
