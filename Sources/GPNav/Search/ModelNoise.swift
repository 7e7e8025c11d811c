/// Whether a ``StudyModel``'s fits keep the noise at or above the study's ``TrainingNoise``
/// floor, or let maximum likelihood settle it within ``AccuracyModel/bounds``.
///
/// The two serve different questions. What a study prints about its recommendation (the
/// estimate's +/- and "one training +/-") must cover what a retraining with another seed gives,
/// so it comes from a floored fit. Which architecture to train next is a ranking, judged by the
/// search-quality benchmark alone.
public enum ModelNoise: Sendable, Equatable {
    /// The noise never goes below the study's ``TrainingNoise/floorVariance``.
    case floored
    /// The noise is fitted within the kernel's bounds alone (as before the floor).
    case fitted
}
