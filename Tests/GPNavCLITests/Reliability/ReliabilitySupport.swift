import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Helpers shared by the reliability suite: files, scripts, trial JSON and killing processes.
enum Reliability {
    /// One trial as `gpnav trials --format json` prints it (the fields these tests check).
    struct TrialRecord: Decodable, Equatable {
        var number: Int
        var study: String
        var state: String
        var resolution: Int
        var width: Double
        var mv2Depths: [Int]
        var vitDepths: [Int]
        var macs: Int?
        var params: Int?
        var accuracy: Double?
        var error: String?
        var evaluatorOutput: String?

        enum CodingKeys: String, CodingKey {
            case number, study, state, resolution, width, mv2Depths = "mv2_depths", vitDepths = "vit_depths"
            case macs, params, accuracy, error, evaluatorOutput = "evaluator_output"
        }

        /// The architecture as a comparable key.
        var architecture: String { "\(resolution) \(width) \(mv2Depths) \(vitDepths)" }
    }

    /// Every trial of the database (optionally one study's), read back through `gpnav trials`.
    static func trials(_ fixture: CLIFixture, study: String? = nil, db: String = "gpnav.sqlite") async throws -> [TrialRecord] {
        var arguments = ["trials", "--format", "json", "--db", db]
        if let study { arguments += ["--study", study] }
        let output = try await fixture.runner.run(arguments)
        guard output.status == 0 else {
            throw Failure("gpnav trials failed with \(output.status): \(output.stderr)")
        }
        return try JSONDecoder().decode([TrialRecord].self, from: Data(output.stdout.utf8))
    }

    /// A test failure with a message.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Writes an executable shell script `name` into the fixture's directory and returns its path.
    @discardableResult
    static func script(_ fixture: CLIFixture, _ name: String, _ body: String) throws -> String {
        let path = fixture.file(name)
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        guard chmod(path, 0o755) == 0 else { throw Failure("chmod \(path) failed") }
        return path
    }

    /// A training command that reads MACs from the trial's config and prints a plausible accuracy
    /// (a smooth function of log MACs, so equal architectures score equally), after `sleep`.
    static func trainingCommand(sleep: Double = 0) -> String {
        let pause = sleep > 0 ? "sleep \(sleep); " : ""
        return pause + #"awk -F'"macs":' '{ split($2, a, ","); printf "{\"accuracy\": %.4f}\n", 40 + 4 * log(a[1]) / log(10) }' {config}"#
    }

    /// The bytes of every file in `directory`, by name (to prove a failed command changed nothing).
    static func snapshot(_ directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[name] = FileManager.default.contents(atPath: path) ?? Data()
            }
        }
        return files
    }

    /// Sends SIGKILL to a running gpnav (and nothing else) and waits for it.
    static func kill(_ running: GPNavRunner.Running) async throws -> GPNavRunner.Output {
        if running.process.isRunning { Glibc.kill(running.process.processIdentifier, SIGKILL) }
        return try await running.wait()
    }

    /// Waits up to `seconds` for `condition`, polling every 20 ms; returns whether it held.
    static func wait(upTo seconds: Double, until condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await pause(0.02)
        }
        return try await condition()
    }

    /// Whether `stderr` is exactly one line with gpnav's error prefix and no crash or usage dump.
    static func isOneCleanErrorLine(_ stderr: String) -> Bool {
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count == 2 && lines[1].isEmpty && stderr.hasPrefix("gpnav: error: ")
            && !stderr.contains("Fatal error") && !stderr.contains("Usage:") && !stderr.contains("Stack dump")
            && !stderr.contains("Current stack trace")
    }
}
