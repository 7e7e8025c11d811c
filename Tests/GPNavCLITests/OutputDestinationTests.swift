import Foundation
import Testing

/// `--out` of every command: `-` is standard output; regular files are replaced whole; links are
/// followed (the link stays); FIFOs and devices are written through, never replaced by a file;
/// directories are refused.
@Suite("--out destinations")
struct OutputDestinationTests {
    /// Commands with `--out`, each writing its output to the path given after it.
    static let commands: [[String]] = [
        ["pareto", "--study", "s300", "--out"],
        ["export", "--study", "s300", "--trial", "3", "--out"],
        ["plot", "history", "--study", "s300", "--out"],
        ["plot", "pareto", "--study", "s300", "--out"],
    ]

    static func fileType(_ path: String) throws -> FileAttributeType? {
        try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
    }

    @Test(arguments: commands)
    func aDashWritesToStandardOutputAndCreatesNoFile(_ command: [String]) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(command + ["-"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(!output.stdout.isEmpty)
        #expect(try fixture.contents() == ["gpnav.sqlite"])
    }

    @Test(arguments: commands)
    func aSymbolicLinkStaysALinkAndItsTargetGetsTheOutput(_ command: [String]) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        try FileManager.default.createDirectory(atPath: fixture.file("real"), withIntermediateDirectories: false)
        try "old".write(toFile: fixture.file("real/target.txt"), atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: fixture.file("link.txt"), withDestinationPath: "real/target.txt")
        let output = try await fixture.runner.run(command + ["link.txt"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try Self.fileType(fixture.file("link.txt")) == .typeSymbolicLink)
        let written = try String(contentsOfFile: fixture.file("real/target.txt"), encoding: .utf8)
        #expect(written != "old" && !written.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.file("real")) == ["target.txt"])
    }

    @Test func aDanglingLinkCreatesItsTargetAndStaysALink() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        try FileManager.default.createSymbolicLink(atPath: fixture.file("front.csv"), withDestinationPath: "made.csv")
        let output = try await fixture.runner.run(["pareto", "--out", "front.csv"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try Self.fileType(fixture.file("front.csv")) == .typeSymbolicLink)
        #expect(try String(contentsOfFile: fixture.file("made.csv"), encoding: .utf8).hasPrefix("number,study"))
    }

    @Test(arguments: commands)
    func aFIFOIsWrittenThroughAndStaysAFIFO(_ command: [String]) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        #expect(mkfifo(fixture.file("pipe"), 0o600) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "cat pipe > copy.txt"]
        reader.currentDirectoryURL = URL(fileURLWithPath: fixture.directory)
        try reader.run()
        let output = try await fixture.runner.run(command + ["pipe"])
        reader.waitUntilExit()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try Self.fileType(fixture.file("pipe")) != .typeRegular)
        #expect(try !String(contentsOfFile: fixture.file("copy.txt"), encoding: .utf8).isEmpty)
    }

    @Test(arguments: ["/dev/null", "/dev/stdout"])
    func aDeviceIsWrittenThroughNotReplaced(_ device: String) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["pareto", "--study", "s300", "--out", device])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try Self.fileType("/dev/null") == .typeCharacterSpecial)
        if device == "/dev/stdout" { #expect(output.stdout.hasPrefix("number,study")) }
    }

    @Test(arguments: [".", "sub", "sub/"])
    func aDirectoryIsRefusedOnOneLine(_ path: String) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        try FileManager.default.createDirectory(atPath: fixture.file("sub"), withIntermediateDirectories: false)
        let output = try await fixture.runner.run(["export", "--study", "s300", "--trial", "0", "--out", path])
        #expect(output.status == 2, "\(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr) && output.stderr.contains("directory"), "\(output.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.file("sub")).isEmpty)
    }

    @Test func aRegularFileIsReplacedWholeAndKeepsItsPermissions() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        try String(repeating: "x", count: 100_000).write(toFile: fixture.file("front.csv"), atomically: false, encoding: .utf8)
        #expect(chmod(fixture.file("front.csv"), 0o640) == 0)
        let output = try await fixture.runner.run(["pareto", "--study", "s300", "--out", "front.csv"])
        #expect(output.status == 0, "\(output.stderr)")
        let text = try String(contentsOfFile: fixture.file("front.csv"), encoding: .utf8)
        #expect(text.hasPrefix("number,study") && !text.contains("xxx"))
        let mode = try FileManager.default.attributesOfItem(atPath: fixture.file("front.csv"))[.posixPermissions] as? Int
        #expect(mode == 0o640)
        #expect(try fixture.contents() == ["front.csv", "gpnav.sqlite"])
    }

    @Test(.enabled(if: FullDevice.isPresent, Comment(rawValue: FullDevice.reasonIfAbsent)))
    func aFullDeviceIsAnOutputErrorWithExitSeven() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["plot", "history", "--study", "s300", "--out", "/dev/full"])
        #expect(output.status == 7, "\(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
    }

    @Test(arguments: ["/dev/stdout", "/proc/self/fd/1", "log.txt"])
    func aPathNamingStandardOutputIsWrittenThroughItsRedirection(_ path: String) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        try "kept line\n".write(toFile: fixture.file("log.txt"), atomically: false, encoding: .utf8)
        var runner = fixture.runner
        runner.launcher = ["/bin/sh", "-c", "exec \"$0\" \"$@\" >> log.txt"]
        let output = try await runner.run(["pareto", "--study", "s300", "--out", path])
        #expect(output.status == 0, "\(output.stderr)")
        let log = try String(contentsOfFile: fixture.file("log.txt"), encoding: .utf8)
        #expect(log.hasPrefix("kept line\nnumber,study"), "\(log)")
    }
}
