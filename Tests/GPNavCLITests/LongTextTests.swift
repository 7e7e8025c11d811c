import Foundation
import GPNav
import Testing

@Suite("Long names and texts in tables")
struct LongTextTests {
    /// A 100 kB study name (ending in spaces) and a 100 kB error are printed whole. (Their speed is
    /// no unit test's business: the runner kills a command that hangs, and timings belong in
    /// Experiments; a time limit here failed under load.)
    @Test func tablesWithAHundredKilobyteCellArePrintedWhole() async throws {
        let fixture = try CLIFixture()
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readWrite(createIfMissing: true))
        let name = String(repeating: "long name ", count: 10_000) + "   "
        let id = try store.createStudy(CLIFixture.study(name)).id ?? -1
        _ = try store.addFinishedTrial(try CLIFixture.trial(id, .failed, resolution: 256, width: 1.0, macs: 5,
                                                            params: 5, accuracy: nil,
                                                            error: String(repeating: "x ", count: 50_000)))
        try store.close()
        for command in [["studies"], ["trials"], ["trials", "--format", "csv"]] {
            let output = try await fixture.runner.run(command)
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout.contains(name.trimmingCharacters(in: .whitespaces)))
        }
    }
}
