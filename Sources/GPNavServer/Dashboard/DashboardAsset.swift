import Foundation
import Hummingbird
import NIOCore

/// A file of the dashboard page, compiled into the binary: the page works offline and no
/// other server is asked for anything. The assets hold no data, so they are served without
/// the token (the page's login form is among them); everything they read needs it.
struct DashboardAsset: Sendable {
    var path: String
    var contentType: String
    var text: String

    /// The page, its scripts, its style sheet and its icon, for a server of the given access (the
    /// read-only page says so and shows no control that would write).
    static func all(for access: ServerAccess) -> [DashboardAsset] { [
        DashboardAsset(path: "/", contentType: "text/html; charset=utf-8", text: DashboardPage.html(for: access)),
        DashboardAsset(path: "/dashboard/dashboard.js", contentType: "text/javascript; charset=utf-8",
                       text: DashboardScript.main),
        DashboardAsset(path: "/dashboard/format.js", contentType: "text/javascript; charset=utf-8",
                       text: DashboardScript.format),
        DashboardAsset(path: "/dashboard/trials-grid.js", contentType: "text/javascript; charset=utf-8",
                       text: DashboardScript.trialsGrid),
        DashboardAsset(path: "/dashboard/study-views.js", contentType: "text/javascript; charset=utf-8",
                       text: DashboardScript.studyViews),
        DashboardAsset(path: "/dashboard/dashboard.css", contentType: "text/css; charset=utf-8",
                       text: DashboardStyle.css),
        DashboardAsset(path: "/dashboard/favicon.svg", contentType: "image/svg+xml", text: DashboardPage.icon),
    ] }

    /// The paths served without a token (the same for either access).
    static var openPaths: Set<String> { Set(all(for: .readWrite).map(\.path)) }

    /// The page may run its own script and style sheet and talk to this server only; SVG pictures
    /// come in as `blob:` images (fetched with the token), which run no script.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
        + "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

    /// The asset's body, with an entity tag so that a reload costs a 304.
    func response(to request: Request, context: some RequestContext) async throws -> Response {
        var hasher = Hasher()
        hasher.combine(text)
        let tag = "\"" + DashboardSnapshot.hex(hasher.finalize()) + "\""
        return try await request.ifNoneMatch(headers: Self.headers, eTag: tag, context: context) {
            JSONBody.response(data: Data(text.utf8), contentType: contentType)
        }
    }

    /// Headers of every dashboard answer: no framing, no sniffing, revalidated on each use (the
    /// page itself asks for no referrer).
    static let headers: HTTPFields = [
        .contentSecurityPolicy: contentSecurityPolicy,
        .xContentTypeOptions: "nosniff",
        .cacheControl: "no-cache, private",
    ]
}
