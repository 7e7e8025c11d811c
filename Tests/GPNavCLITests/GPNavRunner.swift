import Foundation
import TestScratch

/// Runs the built `gpnav` executable as a subprocess, as a user would.
struct GPNavRunner {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        /// From the start to the end of the command, as the wait saw it (within 20 ms); for tests
        /// that check a command ends promptly.
        var seconds: Double = 0
    }

    /// The `gpnav` built beside this test bundle (same build directory), else `.build/debug/gpnav`.
    static let executable: URL = {
        let candidates = [
            URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug"),
        ].map { $0.appendingPathComponent("gpnav") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    /// The working directory the commands run in.
    var directory: String
    /// Extra environment; `GPNAV_DB` is removed unless given here.
    var environment: [String: String] = [:]
    /// A program and its arguments that run `gpnav` (e.g. `setpriv` to drop root); empty: none.
    var launcher: [String] = []

    /// A started process whose output goes to files in `directory`; call ``Running/wait()``.
    final class Running {
        let process: Process
        let stdoutURL: URL
        let stderrURL: URL
        let started = Date()

        init(process: Process, stdoutURL: URL, stderrURL: URL) {
            self.process = process
            self.stdoutURL = stdoutURL
            self.stderrURL = stderrURL
        }

        /// Waits at most `seconds` (default: ten minutes, for loaded machines only); a process still
        /// running then is killed, and the wait fails with what it wrote to stderr (a hang fails its
        /// test rather than holding up the run).
        ///
        /// The wait polls with ``pause(_:)``, so it holds no thread of Swift's cooperative pool (two
        /// threads on a 2-core machine): the other tests' tasks run while a command does. How many
        /// tests, and so commands, run at once is bounded by Swift Testing's parallelization width,
        /// which `.ci/with-postgres` sets (a blocking wait bounded it before, and starved the pool).
        func wait(atMost seconds: Double = 600) async throws -> Output {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning, Date() < deadline { try await pause(0.02) }
            guard !process.isRunning else {
                kill(process.processIdentifier, SIGKILL)
                let stderr = String(decoding: (try? Data(contentsOf: stderrURL)) ?? Data(), as: UTF8.self)
                throw GPNavRunnerFailure(message: "gpnav did not finish within \(Int(seconds)) s and was killed; its stderr:\n\(stderr)")
            }
            return try collect()
        }

        /// ``wait(atMost:)`` without a limit and callable where `await` is not (a `defer`).
        func waitBlocking() throws -> Output {
            process.waitUntilExit()
            return try collect()
        }

        private func collect() throws -> Output {
            process.waitUntilExit()
            let stdout = String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self)
            let stderr = String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self)
            try? FileManager.default.removeItem(at: stdoutURL)
            try? FileManager.default.removeItem(at: stderrURL)
            return Output(status: process.terminationStatus, stdout: stdout, stderr: stderr,
                          seconds: Date().timeIntervalSince(started))
        }
    }

    func start(_ arguments: [String]) throws -> Running {
        let process = Process()
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [Self.executable.path] + arguments
        } else {
            process.executableURL = Self.executable
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["GPNAV_DB"] = nil
        environment.merge(self.environment) { $1 }
        process.environment = environment
        // Output goes to files outside `directory`, so tests can check what the command created.
        let base = try TestScratch.path("output")
        let stdoutURL = URL(fileURLWithPath: base + ".out")
        let stderrURL = URL(fileURLWithPath: base + ".err")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        return Running(process: process, stdoutURL: stdoutURL, stderrURL: stderrURL)
    }

    func run(_ arguments: [String]) async throws -> Output {
        try await start(arguments).wait()
    }
}

/// Sleeps `seconds` without holding a thread of the cooperative pool (unlike `usleep`), so the
/// other tests' tasks run meanwhile.
func pause(_ seconds: Double) async throws {
    try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
}

struct GPNavRunnerFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
