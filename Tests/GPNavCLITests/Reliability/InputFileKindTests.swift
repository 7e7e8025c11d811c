import Foundation
import GPNav
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Input files are read only when they are regular files: a FIFO (or a device such as /dev/zero)
/// given as a table, a space or a token file is refused at once with one line, instead of
/// blocking forever or reading without end.
@Suite("Input files that are not regular files")
struct InputFileKindTests {
    @Test(arguments: [
        ["gp", "--train", "fifo", "--target", "y"],
        ["import", "fifo", "--study", "s"],
        ["search", "--macs", "300M", "--trials", "1", "--space", "fifo"],
    ] + (BuildFeature.server.isBuilt  // the worker's token file, where the build has the worker
        ? [["worker", "--server", "http://127.0.0.1:1", "--study", "s", "--evaluator", "stub", "--token-file", "fifo"]]
        : []))
    func aFIFOIsRefusedAtOnce(arguments: [String]) async throws {
        let fixture = try CLIFixture()
        #expect(mkfifo(fixture.file("fifo"), 0o600) == 0)
        let output = try await fixture.runner.start(arguments).wait(atMost: 15)
        #expect([2, 3].contains(output.status), "\(output.status): \(output.stderr)")
        #expect(output.stderr.contains("not a regular file"), "\(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
    }
}
