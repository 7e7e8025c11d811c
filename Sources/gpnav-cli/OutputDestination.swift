import Foundation
import GPNav

/// Where a command's `--out` goes: standard output, or a path written without ever turning a
/// link or a special file into a regular one.
///
/// - no `--out`, or `--out -`: standard output;
/// - a regular file, a new path, or a symbolic link to either: the text goes to a temporary file
///   beside the final target, which is then renamed over it, so readers see the old file or the
///   new one, never half of it (a link stays a link; its target is replaced);
/// - the file standard output is open on (`/dev/stdout`, whatever it is redirected to): written
///   to standard output itself, so an append redirection keeps what the file held;
/// - a FIFO, a character device or a socket (`/dev/null`, a named pipe), directly or through a
///   link: written through in place, never replaced;
/// - a directory: refused.
enum OutputDestination {
    static func write(_ text: String, to path: String?) throws {
        guard let path, path != "-" else {
            try StandardStreams.writeOutput(text)
            return
        }
        var info = stat()
        if stat(path, &info) == 0 {
            if isStandardOutput(info) {
                // `/dev/stdout` or the file stdout is redirected to: write to the open stream, which
                // keeps the shell's append mode and position, rather than reopen or replace it.
                try StandardStreams.writeOutput(text)
                return
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG: try replaceAtomically(text, path: path, mode: info.st_mode & 0o7777)
            case S_IFDIR: throw OutputFileError(path: path, reason: "it is a directory")
            default: try writeThrough(text, path: path)
            }
            return
        }
        let statError = errno
        var linkInfo = stat()
        if statError == ENOENT, lstat(path, &linkInfo) == 0 {
            // A dangling link: create its target through it rather than replace the link.
            try writeThrough(text, path: path, create: true)
        } else if statError == ENOENT {
            try replaceAtomically(text, path: path, mode: nil)
        } else {
            throw OutputFileError(path: path)
        }
    }

    /// Whether `info` describes the file standard output is open on.
    private static func isStandardOutput(_ info: stat) -> Bool {
        var output = stat()
        return fstat(STDOUT_FILENO, &output) == 0 && output.st_dev == info.st_dev && output.st_ino == info.st_ino
    }

    /// Writes into the existing file at `path` (following links) without replacing it.
    private static func writeThrough(_ text: String, path: String, create: Bool = false) throws {
        let flags = O_WRONLY | O_NOCTTY | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0)
        let descriptor = open(path, flags, 0o666)
        guard descriptor >= 0 else { throw OutputFileError(path: path) }
        defer { close(descriptor) }
        let error = StandardStreams.writeAll(text, to: descriptor)
        if error != 0 { throw OutputWriteError(destination: "'\(path)'", code: error) }
    }

    /// Writes a temporary file beside the real target of `path` and renames it over the target.
    /// `mode` is the permission bits of the file replaced (nil: a new file, 0666 less the umask).
    private static func replaceAtomically(_ text: String, path: String, mode: mode_t?) throws {
        let target = realTarget(of: path)
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { String(target[..<$0]) } ?? "."
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var template = Array(((directory.isEmpty ? "" : directory + "/") + ".\(name).gpnav-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard descriptor >= 0 else { throw OutputFileError(path: path) }
        let temporary = String(cString: template)
        var finished = false
        defer {
            close(descriptor)
            if !finished { unlink(temporary) }
        }
        let permissions = mode ?? {
            let mask = umask(0)
            umask(mask)
            return 0o666 & ~mask
        }()
        fchmod(descriptor, permissions)
        let error = StandardStreams.writeAll(text, to: descriptor)
        if error != 0 { throw OutputWriteError(destination: "'\(path)'", code: error) }
        if fsync(descriptor) != 0 { throw OutputWriteError(destination: "'\(path)'", code: errno) }
        guard rename(temporary, target) == 0 else { throw OutputFileError(path: path) }
        finished = true
    }

    /// `path` with every symbolic link resolved (the path itself when it does not exist yet).
    private static func realTarget(of path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// An output file could not be opened or created.
struct OutputFileError: UserFacingError {
    var path: String
    /// Why, when it is not the usual missing or unwritable directory.
    var reason: String?
    var kind: FailureKind { .usage }
    var description: String {
        "cannot write '\(path)': " + (reason ?? "check that its directory exists and is writable")
    }
}
