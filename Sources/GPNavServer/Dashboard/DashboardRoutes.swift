import Foundation
import GPNav
import HTTPTypes
import Hummingbird

/// The live dashboard: the page at `/` with its assets, what it polls (`/dashboard/live`) and the
/// study's views (`/dashboard/studies/{name}/history.svg`, `pareto.svg`, `cube.svg`, `curves.svg`,
/// `relevance.json`: ``DashboardPicture``). Everything
/// else the page shows it reads from the `/v1` read routes, with the token the user signed in with.
///
/// Polling is cheap: `/dashboard/live` is read from the store at most once a second for all viewers
/// together (``DashboardSnapshots``), answers 304 when the page already has it, and tells the page
/// which studies changed, so that the page re-reads only those (and only their new or changed
/// trials). Pictures answer 304 until their study changes, and each is drawn once per change for
/// every viewer, at most once per its interval (``DashboardPictures``). No route here writes.
struct DashboardRoutes: Sendable {
    let snapshots: DashboardSnapshots
    let pictures: DashboardPictures
    let assets: [DashboardAsset]

    init(store: any TrialStore, access: ServerAccess) {
        snapshots = DashboardSnapshots(store: store)
        pictures = DashboardPictures(store: store)
        assets = DashboardAsset.all(for: access)
    }

    /// Whether a route's path template is one of the dashboard's: the page and its files are no
    /// operations of the API document.
    static func isDashboardRoute(_ path: String) -> Bool {
        DashboardAsset.openPaths.contains(path) || path.hasPrefix("/dashboard/")
    }

    func register(on router: Router<ServerRequestContext>) {
        for asset in assets {
            router.get(RouterPath(asset.path)) { request, context in try await asset.response(to: request, context: context) }
        }
        router.get("/dashboard/live") { request, context in try await live(request, context) }
        router.get("/dashboard/studies/{name}/{picture}") { request, context in try await picture(request, context) }
    }

    private func live(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let snapshot = try await snapshots.current()
        return try await request.ifNoneMatch(headers: DashboardAsset.headers, eTag: snapshot.entityTag, context: context) {
            JSONBody.response(data: snapshot.body, contentType: "application/json")
        }
    }

    private func picture(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let raw = try context.parameters.require("name")
        guard let name = raw.removingPercentEncoding else {
            throw APIError.badParameter(name: "name", detail: "malformed percent-encoding")
        }
        let picture = try DashboardPicture(file: try context.parameters.require("picture"),
                                           query: request.uri.queryParameters)
        let snapshot = try await snapshots.current()
        var study = snapshot.study(named: name)
        // A study created within the snapshot's age is not in it yet: the store is asked.
        if study == nil { study = try await DashboardSnapshot.read(from: snapshots.store).study(named: name) }
        guard let study else { throw StoreError.unknownStudy(name, known: snapshot.studies.map(\.name)) }
        let drawing = await pictures.drawing(study: name, version: Self.version(of: picture, study: study, at: Date()),
                                             picture: picture)
        let tag = "\"\(drawing.version)-\(picture.key)\""
        var headers = DashboardAsset.headers
        // The version drawn, which the page compares with the study's to know whether to ask again
        // once the picture's interval has passed.
        if let field = Self.drawnVersionField { headers[field] = drawing.version }
        // Opened on its own, a picture runs nothing and loads nothing.
        headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'"
        return try await request.ifNoneMatch(headers: headers, eTag: tag, context: context) {
            let svg = try await pictures.svg(of: drawing, study: name, picture: picture)
            return JSONBody.response(data: Data(svg.utf8), contentType: picture.contentType)
        }
    }

    /// The response header that names the study's version a picture was drawn at.
    static let drawnVersionField = HTTPField.Name("GPNav-Drawn-Version")

    /// How often a picture of running trials' progress is drawn again, at most, in seconds.
    static let runningRedrawSeconds = 10.0

    /// The version `picture` is drawn at: the study's; for learning curves while trials run, also
    /// the current period of ``runningRedrawSeconds``, since their reports move no version: they
    /// are drawn again once a period for every viewer.
    static func version(of picture: DashboardPicture, study: DashboardSnapshot.StudyState, at date: Date) -> String {
        guard picture.changesWhileRunning, !study.running.isEmpty else { return study.version }
        return study.version + "-" + String(Int((date.timeIntervalSince1970 / runningRedrawSeconds).rounded(.down)))
    }
}
