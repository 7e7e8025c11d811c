import Hummingbird

/// The paths the router serves and the methods each takes, so that a known path asked with
/// another method is answered 405 with an `Allow` header rather than 404.
struct RouteTable: Sendable {
    private struct Entry: Sendable {
        /// The path template's segments; `{name}` stands for any one segment.
        var segments: [Substring]
        var method: String
    }

    private let entries: [Entry]

    /// The routes of `router`, read once after they are registered.
    init(_ router: Router<ServerRequestContext>) {
        entries = router.routes.map { route in
            Entry(segments: Self.segments(route.path.description), method: route.method.rawValue)
        }
    }

    /// The methods served on `path`, sorted; empty when no route has this path.
    func methods(allowedOn path: String) -> [String] {
        let asked = Self.segments(path)
        let matching = entries.filter { entry in
            entry.segments.count == asked.count
                && zip(entry.segments, asked).allSatisfy { template, segment in
                    (template.hasPrefix("{") && template.hasSuffix("}")) || template == segment
                }
        }
        return Set(matching.map(\.method)).sorted()
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/")
    }
}
