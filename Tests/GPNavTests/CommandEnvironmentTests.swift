import Testing
@testable import GPNav

/// gpnav's own variables (its token, its database URL) never reach a training command.
@Suite struct CommandEnvironmentTests {
    @Test func gpnavsOwnVariablesAreWithheldAndTheTrialsAreSet() {
        let inherited = ["PATH=/bin", "GPNAV_TOKEN=t", "GPNAV_DB=postgresql://u:p@h/d", "GPNAV_STUDY=old",
                         "CUDA_VISIBLE_DEVICES=0", "NOEQUALS", "GPNAV_X"]
        let entries = CommandEnvironment.entries(inherited: inherited, adding: ["GPNAV_STUDY": "s", "GPNAV_TRIAL": "3"])
        #expect(entries == ["PATH=/bin", "CUDA_VISIBLE_DEVICES=0", "NOEQUALS", "GPNAV_STUDY=s", "GPNAV_TRIAL=3"])
    }
}
