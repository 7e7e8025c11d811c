/// When a study's model re-optimises its hyperparameters: on the ask path, or beside it.
///
/// Either way the model conditions on every new result before the next proposal (a fresh
/// Cholesky factorisation of the kernel matrix, never an inverse); the policies differ only in
/// where the hyperparameter search of ``StudyModel``'s schedule runs, which costs far more (tens
/// of factorisations and gradients, with random restarts).
public enum ModelRefresh: Sendable, Hashable {
    /// The hyperparameter search runs inside the ask that needs it, so a proposal always uses the
    /// hyperparameters fitted to exactly the data it sees: a search repeats trial for trial for
    /// the same seed. For `gpnav search`, whose one driver waits for every proposal anyway.
    case inline
    /// The hyperparameter search runs in the background, one at a time, and its kernel is swapped
    /// in for the asks after it finishes; meanwhile asks condition on new results with the
    /// current hyperparameters (the default kernel before the first search ends), so no ask waits
    /// for a search. For the server, where many workers ask at once. Proposals then depend on
    /// timing and do not repeat exactly.
    case background
}
