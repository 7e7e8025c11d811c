/// A part of gpnav that a build can leave out (a SwiftPM package trait of the same name): the
/// default build is the embedded search on SQLite, and `--traits Full` builds every part.
public enum BuildFeature: String, Sendable, CaseIterable {
    /// The PostgreSQL trial store (trait `PostgreSQL`).
    case postgreSQL = "PostgreSQL"
    /// `gpnav serve` and `gpnav worker` (trait `Server`).
    case server = "Server"

    /// What the part is, in a user's words.
    public var summary: String {
        switch self {
        case .postgreSQL: "the PostgreSQL store"
        case .server: "the HTTP server and worker"
        }
    }

    /// Whether this build has the part.
    public var isBuilt: Bool {
        switch self {
        case .postgreSQL:
            #if PostgreSQL
            true
            #else
            false
            #endif
        case .server:
            #if Server
            true
            #else
            false
            #endif
        }
    }
}

/// A command or store needs a part this build of gpnav left out.
public struct FeatureNotBuilt: UserFacingError, Equatable {
    public var feature: BuildFeature
    /// What needed it (a command, a store's location), if worth naming.
    public var needed: String?

    public init(feature: BuildFeature, needed: String? = nil) {
        self.feature = feature
        self.needed = needed
    }

    public var kind: FailureKind { .usage }

    public var description: String {
        let without = "built without \(feature.summary) (package trait '\(feature.rawValue)')"
        return needed.map { "'\($0)' is not in this build of gpnav: it was \(without)" } ?? "this gpnav was \(without)"
    }
}
