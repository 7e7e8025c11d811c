/// The environment a training command runs in: gpnav's own, less gpnav's own variables, plus the
/// trial's values.
///
/// gpnav's variables carry its secrets (`GPNAV_TOKEN`, the bearer token; `GPNAV_DB`, a database
/// URL with its password) and the command's output is stored with the trial and served by
/// `gpnav serve`, so a command that prints its environment would publish them. Every `GPNAV_`
/// variable is therefore withheld; the trial's own (`GPNAV_CONFIG`, `GPNAV_TRIAL`,
/// `GPNAV_STUDY`, `GPNAV_SEED`, `GPNAV_SLOT`, `GPNAV_EPOCHS` when the study has a training
/// length, `GPNAV_RESUME_EPOCH` when a paused trial is continued) are set afresh for each command. Other variables (`PATH`, the command's own settings)
/// pass unchanged; `CUDA_VISIBLE_DEVICES` too, unless the evaluator assigns devices to slots
/// (``DeviceSlots``), which then replaces it.
enum CommandEnvironment {
    /// The prefix of gpnav's own variables.
    static let prefix = "GPNAV_"

    /// Whether the inherited variable `name` is kept from training commands.
    static func isWithheld(_ name: Substring) -> Bool {
        name.hasPrefix(prefix)
    }

    /// `inherited` (`NAME=value` entries) without the withheld variables or those `added`
    /// replaces, then `added`, sorted by name.
    static func entries(inherited: [String], adding added: [String: String]) -> [String] {
        let kept = inherited.filter { entry in
            let name = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? Substring(entry)
            return !isWithheld(name) && added[String(name)] == nil
        }
        return kept + added.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}
