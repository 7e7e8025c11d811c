import Foundation
import GPNav
import Hummingbird
import MobileViT
import NIOCore
import OpenAPIRuntime

/// Turns any error a handler throws into an HTTP status and the one line of its
/// `{"error": ...}` body. The mapping of the Study API's errors is the contract's:
/// unknown study or trial 404; a trial not running, a conflicting result, a study that exists with
/// other settings, has ended or has no budget to propose within 409; an invalid accuracy or metric,
/// or a result over the limits, 400; an invalid budget, target, step factor, space or name 422.
enum ErrorResponse {
    static func status(for error: any Error) -> (status: HTTPResponse.Status, message: String) {
        switch error {
        case let error as ServerError:
            return status(forGenerated: error)
        case let error as APIError:
            return (error.status, error.description)
        case let error as StudyError:
            return (status(for: error), error.description)
        case let error as StoreError:
            return (status(for: error), error.description)
        case let error as SearchError:
            return (.unprocessableContent, error.description)
        case let error as SearchSpaceError:
            return (.unprocessableContent, error.description)
        case let error as ArchitectureError:
            return (.unprocessableContent, error.description)
        case let error as ObjectiveError:
            return (.badRequest, "bad parameter 'objectives': \(error.description)")
        case let error as DecodingError:
            return (.badRequest, APIError.malformedBody(JSONBody.describe(error)).description)
        case is NIOTooManyBytesError:
            return (.contentTooLarge, APIError.bodyTooLarge.description)
        case let error as HTTPError:
            return (error.status, error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            return (error.status, error.status.reasonPhrase)
        case let error as any UserFacingError:
            switch error.kind {
            case .notFound: return (.notFound, error.description)
            case .data: return (.badRequest, error.description)
            case .usage, .evaluation: return (.unprocessableContent, error.description)
            case .database: return (.internalServerError, error.description)
            }
        default:
            return (.internalServerError, "internal error: \(error)")
        }
    }

    /// An error from the generated server code: the handler's own error (mapped as any other), or
    /// one reading the request (400) or writing the answer in a type the Accept header allows (406).
    private static func status(forGenerated error: ServerError) -> (status: HTTPResponse.Status, message: String) {
        if error.operationInput == nil {
            if let decoding = error.underlyingError as? DecodingError {
                return (.badRequest, APIError.malformedBody(JSONBody.describe(decoding)).description)
            }
            // A library value's own decoder (a space, an architecture) refuses with its own error.
            let mapped = status(for: error.underlyingError)
            guard mapped.status == .internalServerError else { return mapped }
            return (.badRequest, "malformed request: \(error.causeDescription)")
        }
        if error.operationOutput != nil, !(error.underlyingError is EncodingError) {
            return (.notAcceptable, "the Accept header names none of the types this route answers with")
        }
        return status(for: error.underlyingError)
    }

    private static func status(for error: StudyError) -> HTTPResponse.Status {
        switch error {
        case .unknownTrial: .notFound
        case .trialNotRunning, .conflictingResult, .settingsDiffer, .exists, .studyEnded, .noBudget: .conflict
        // A result over the limits is refused like an invalid one: a worker drops it and goes on.
        case .invalidAccuracy, .invalidMetric, .missingRankingMetric, .resultTooLarge, .invalidEpochReport: .badRequest
        case .invalidTarget, .invalidStepFactor, .invalidBudget, .evaluatorTooLong, .familyMismatch, .invalidEpochs,
             .invalidEpochBudget, .pruneWithoutEpochs, .pruneWithInt8Ranking, .familyDiffersFromSpace: .unprocessableContent
        }
    }

    private static func status(for error: StoreError) -> HTTPResponse.Status {
        switch error {
        case .unknownStudy, .unknownTrial: .notFound
        case .duplicateStudy, .trialNotRunning: .conflict
        case .invalidValue: .badRequest
        // The database server gone for longer than the store retries: the service is unavailable, not broken.
        case .unreachable, .connectionLost: .serviceUnavailable
        case .noDatabase, .missingDirectory, .notADatabase, .newerSchema, .olderSchema, .readOnly, .corruptRow, .backend,
             .invalidLocation, .copyMismatch, .notBuilt:
            .internalServerError
        }
    }

    /// The JSON error response: `{"error":"one line"}`, with the `Allow` header of a 405.
    static func response(for error: any Error) -> Response {
        let (status, message) = status(for: error)
        let line = message.split(whereSeparator: \.isNewline).joined(separator: "; ")
        var response = JSONBody.response(ErrorBody(error: line), status: status)
        if case APIError.methodNotAllowed(_, _, let allowed)? = error as? APIError {
            response.headers[.allow] = allowed.joined(separator: ", ")
        }
        return response
    }

    private struct ErrorBody: Encodable {
        var error: String
    }
}

/// Every error becomes `{"error": ...}` with its status: the outermost middleware, so that
/// authentication failures, unknown routes and oversized bodies read the same as the rest.
struct ErrorResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The served routes, to tell a wrong method (405) from an unknown path (404).
    let routes: RouteTable

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            let method = request.method.rawValue
            let path = request.uri.path
            let allowed = routes.methods(allowedOn: path)
            guard allowed.isEmpty else {
                return ErrorResponse.response(for: APIError.methodNotAllowed(method: method, path: path, allowed: allowed))
            }
            return ErrorResponse.response(for: APIError.noRoute(method: method, path: path))
        } catch {
            if ErrorResponse.status(for: error).status == .internalServerError {
                // The generated code's wrapper describes the whole request, headers included:
                // only the cause is logged, so no token reaches the log.
                context.logger.error("request failed: \((error as? ServerError)?.underlyingError ?? error)")
            }
            return ErrorResponse.response(for: error)
        }
    }
}
