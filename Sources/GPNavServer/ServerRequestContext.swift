import Hummingbird

/// The request context of gpnav's routes: Hummingbird's core storage with bodies capped at
/// ``ServerLimits/maxBodyBytes``.
public struct ServerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { ServerLimits.maxBodyBytes }
}

/// Fixed limits of the API.
public enum ServerLimits {
    /// The largest request body accepted (1 MiB); larger ones get 413.
    public static let maxBodyBytes = 1 << 20
    /// The most trials one suggestion request may claim.
    public static let maxSuggestionCount = 64
}
