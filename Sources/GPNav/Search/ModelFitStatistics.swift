import Foundation

/// How often a study's model was fitted and how long the fits took, since its session opened.
public struct ModelFitStatistics: Sendable, Hashable {
    /// Fits made (a reused model is not a fit).
    public var fits: Int
    /// Seconds spent in them, in total.
    public var totalSeconds: Double

    public init(fits: Int = 0, totalSeconds: Double = 0) {
        self.fits = fits
        self.totalSeconds = totalSeconds
    }
}

/// The latest ``ModelFitStatistics`` of a session, readable at any time without waiting for an
/// ask in progress (which may be fitting).
final class ModelFitRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var statistics = ModelFitStatistics()

    var current: ModelFitStatistics {
        lock.lock()
        defer { lock.unlock() }
        return statistics
    }

    func update(_ value: ModelFitStatistics) {
        lock.lock()
        statistics = value
        lock.unlock()
    }
}
