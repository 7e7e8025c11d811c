import Foundation

/// Where one trial's files lie in a training command's configuration directory: the `{config}`
/// JSON gpnav writes, and beside it the files `python -m gpnav_torch.train` writes by default
/// (its `--checkpoint`, `--weights` and `--log-file`: the config's path with `.ckpt.pt`,
/// `.weights.pt` and `.log` in place of `.json`).
///
/// The name holds the study (letters, digits, `-` and `_` kept, the rest `_`, at most 40
/// characters), a hash of the full study name (two studies whose names clean up alike do not
/// share files) and the trial number: `<study>-<hash>-trial-<n>.json`.
public struct TrialFiles: Sendable, Equatable {
    public let directory: URL
    public let study: String
    public let trial: Int

    public init(directory: URL, study: String, trial: Int) {
        self.directory = directory
        self.study = study
        self.trial = trial
    }

    /// The file name without its extension.
    public var stem: String {
        var hash = StableHash()
        hash.combine(study)
        let safeStudy = String(Self.fileSafe(study).prefix(40))
        return "\(safeStudy)-\(String(hash.value % (1 << 32), radix: 16))-trial-\(trial)"
    }

    /// `name` with every character but ASCII letters, digits, `-` and `_` as `_`: a part of a
    /// file name that cannot reach another directory.
    public static func fileSafe(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
    }

    /// The `{config}` JSON.
    public var config: URL { directory.appendingPathComponent(stem + ".json") }
    /// The resumable checkpoint gpnav_torch.train writes after every epoch.
    public var checkpoint: URL { directory.appendingPathComponent(stem + ".ckpt.pt") }
    /// The final weights gpnav_torch.train keeps once the training completes.
    public var weights: URL { directory.appendingPathComponent(stem + ".weights.pt") }
    /// The training's log, streamed as it runs.
    public var log: URL { directory.appendingPathComponent(stem + ".log") }
    /// The empty file whose lock a command of a resuming evaluator holds while it runs
    /// (``TrialFileLock``), so that two processes never train the trial at once.
    public var lock: URL { directory.appendingPathComponent(stem + ".lock") }

    /// The final weights file, when it is there as a regular file.
    /// - Throws: ``TrialFilesError/noWeights(path:)`` when it is missing or not a regular file.
    public func existingWeights() throws(TrialFilesError) -> URL {
        let attributes = try? FileManager.default.attributesOfItem(atPath: weights.path)
        guard attributes?[.type] as? FileAttributeType == .typeRegular else { throw .noWeights(path: weights.path) }
        return weights
    }

    /// Gives this trial the checkpoint of `earlier` (a trial of the same architecture that was
    /// abandoned), so that a training that resumes from its checkpoint goes on where that one
    /// stopped. Copies only a regular file and only when this trial has no checkpoint of its own;
    /// returns whether it copied. The training still checks that the checkpoint is one of its
    /// own run (gpnav_torch refuses another architecture, data or recipe).
    public func adoptCheckpoint(of earlier: TrialFiles) throws -> Bool {
        let manager = FileManager.default
        let source = earlier.checkpoint.path
        guard let attributes = try? manager.attributesOfItem(atPath: source),
              attributes[.type] as? FileAttributeType == .typeRegular,
              !manager.fileExists(atPath: checkpoint.path) else { return false }
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        try manager.copyItem(atPath: source, toPath: checkpoint.path)
        return true
    }
}

/// A trial's file that is not where ``TrialFiles`` says it is.
public enum TrialFilesError: Error, Sendable, Equatable, CustomStringConvertible {
    case noWeights(path: String)

    public var description: String {
        switch self {
        case .noWeights(let path): "no weights file at \(path)"
        }
    }
}
