/// The complete trials a study's Gaussian process is fitted to: when the study is explained
/// (`analyze`), drawn (`plot cube`) or downsized at most ``limit``, and when it is searched at most
/// ``searchLimit``.
///
/// An exact GP needs n^2 memory and n^3 time in the number of trials n, so beyond ``limit``
/// complete trials the fit uses a bounded subsample: the most accurate trial (so that the region
/// the study recommends stays modelled) and the most recent others, by trial number, up to
/// ``limit`` in all. Below the limit every complete trial is used.
public enum StudyModelSample {
    /// The most complete trials one fit uses.
    public static let limit = 500
    /// The most complete trials a search's model uses; searches below it are not affected.
    public static let searchLimit = 2000

    /// The trials to fit, in their original order: all of `complete` when there are at most
    /// `limit`, else the most accurate one and the `limit - 1` most recent others.
    public static func select(_ complete: [Trial], limit: Int = limit) -> [Trial] {
        guard complete.count > limit, limit >= 1 else { return complete }
        let best = complete.indices.max { (complete[$0].accuracy ?? -.infinity, -complete[$0].number)
            < (complete[$1].accuracy ?? -.infinity, -complete[$1].number) }
        var chosen = Set(complete.indices.sorted { complete[$0].number > complete[$1].number }
            .filter { $0 != best }.prefix(limit - 1))
        if let best { chosen.insert(best) }
        return complete.indices.filter(chosen.contains).map { complete[$0] }
    }
}
