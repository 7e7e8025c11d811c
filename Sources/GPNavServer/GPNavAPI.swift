import Foundation
import GPNav
import Logging
import OpenAPIRuntime

/// The API of `gpnav serve`, as `openapi.json` declares it: the generated `APIProtocol`,
/// implemented by small handlers that call the Study API and map its values to the wire types.
/// Every rule (claiming, resuming, idempotent results, leases, settings, result limits) lives in
/// the library; errors are thrown and mapped to statuses by ``ErrorResponseMiddleware``. Each
/// change of a study or trial is logged as a lifecycle event (`event` metadata: `study_created`,
/// `trial_claimed`, `trial_told`, `trial_failed`, `model_fitted`).
///
/// The operations are split by topic: the service itself (`GPNavAPI+Service.swift`), studies
/// (`GPNavAPI+Studies.swift`) and trials (`GPNavAPI+Trials.swift`). To add one: add its path and
/// schemas to `openapi.json` (a new value of an enum is one entry in its schema); the next build
/// adds its method to `APIProtocol`, to be written here in the extension of its topic, and
/// registers its route; its errors are thrown, never encoded by hand.
struct GPNavAPI: APIProtocol {
    let sessions: StudySessions
    let serviceMetrics: ServiceMetrics
    let leaseSeconds: Double
    let logger: Logger

    var store: any TrialStore { sessions.store }

    /// How the generated code writes JSON: sorted keys on one line, as the rest of gpnav does.
    static let configuration = Configuration(jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])

    /// The session of the study `name` (from the path, percent-decoded by the generated code):
    /// kept open for asks, the open one or one for this request alone otherwise.
    func session(_ name: String, forAsking: Bool) async throws -> StudySession {
        forAsking ? try await sessions.session(named: name) : try await sessions.sessionForRecording(named: name)
    }
}
