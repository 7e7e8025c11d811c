#if canImport(Glibc)
import Glibc
#endif
@testable import GPNav
import Testing

@Suite struct NicedThreadTests {
    private struct Refused: Error, Equatable {}

    @Test func workRunsNicerThanTheCallerAndHandsBackItsValueOrError() throws {
        #if canImport(Glibc)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let caller = getpriority(which, 0)
        let inside = try NicedThread.run(name: "test") { getpriority(which, 0) }
        let main = getpriority(which, id_t(getpid()))
        #expect(inside == min(max(caller, main) + NicedThread.niceness, 19))
        #expect(getpriority(which, 0) == caller, "the caller's thread keeps its nice value")
        #endif
        #expect(try NicedThread.run(name: "test") { 42 } == 42)
        #expect(throws: Refused()) { try NicedThread.run(name: "test") { () throws -> Int in throw Refused() } }
    }
}
