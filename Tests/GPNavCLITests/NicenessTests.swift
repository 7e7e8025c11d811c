import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `nice -n N gpnav search` runs its training commands that nice: libdispatch's threads set
/// absolute nice values of their own, and a command started from one of them (or gpnav
/// re-executing itself from one) took that value instead. Only a process allowed to lower its
/// nice value (root, as on this project's machines) could show the fault.
@Suite("gpnav under nice")
struct NicenessTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/stat")
                   && FileManager.default.isExecutableFile(atPath: "/usr/bin/nice")))
    func aTrainingCommandRunsAsNiceAsTheSearchWasStarted() async throws {
        let fixture = try CLIFixture()
        var runner = fixture.runner
        // Without OPENBLAS_NUM_THREADS the search re-executes itself on one BLAS thread first.
        runner.launcher = ["/usr/bin/env", "-u", "OPENBLAS_NUM_THREADS", "/usr/bin/nice", "-n", "7"]
        // The command reports 50 + its own nice value (field 19 of /proc/PID/stat) as its accuracy.
        let command = #"echo "{\"accuracy\": $((50 + $(cut -d' ' -f19 /proc/self/stat)))}""#
        #if os(Linux)
        errno = 0
        let spawning = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)  // this thread's, which `nice` starts from
        try #require(errno == 0)
        #else
        let spawning: Int32 = 0
        #endif
        let search = try runner.start(["search", "--macs", "300M", "--trials", "1", "--evaluator-command", command])
        let finished = try await search.wait()
        #expect(finished.status == 0, "\(finished.stderr)")
        let trials = try await fixture.runner.run(["trials", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["accuracy"] as? Double == Double(50 + min(19, spawning + 7)))
    }
}
