import Foundation
import GPNav
import Hummingbird

/// The live dashboard: the page at `/` with its assets, what it polls (`/dashboard/live`) and the
/// study pictures (`/dashboard/studies/{name}/history.svg`, `pareto.svg`, `cube.svg`). Everything
/// else the page shows it reads from the `/v1` read routes, with the token the user signed in with.
///
/// Polling is cheap: `/dashboard/live` is read from the store at most once a second for all viewers
/// together (``DashboardSnapshots``), answers 304 when the page already has it, and tells the page
/// which studies changed, so that the page re-reads only those (and only their new or changed
/// trials). Pictures answer 304 until their study changes, and each is drawn once per change for
/// every viewer (``DashboardPictures``). No route here writes.
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
        var version = snapshot.study(named: name)?.version
        // A study created within the snapshot's age is not in it yet: the store is asked.
        if version == nil { version = try await freshVersion(of: name) }
        guard let version else { throw StoreError.unknownStudy(name, known: snapshot.studies.map(\.name)) }
        let tag = "\"\(version)-\(picture.key)\""
        var headers = DashboardAsset.headers
        // Opened on its own, a picture runs nothing and loads nothing.
        headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'"
        return try await request.ifNoneMatch(headers: headers, eTag: tag, context: context) {
            let svg = try await pictures.svg(study: name, version: version, picture: picture)
            return JSONBody.response(data: Data(svg.utf8), contentType: "image/svg+xml; charset=utf-8")
        }
    }

    private func freshVersion(of name: String) async throws -> String? {
        try await DashboardSnapshot.read(from: snapshots.store).study(named: name)?.version
    }
}
