import Foundation

/// The one way gpnav writes to standard output and standard error.
///
/// Writes go straight to the file descriptors with `write(2)` and every failure is seen: a
/// closed, full or broken stream (EBADF, ENOSPC, EPIPE) is an ``OutputWriteError`` for standard
/// output, and best effort for standard error, where there is nobody left to tell.
enum StandardStreams {
    /// Run first: a closed pipe becomes EPIPE (reported) rather than a silent SIGPIPE death, and a
    /// closed standard stream is held by `/dev/null` opened read-only, so that files opened later
    /// never take its number (and receive our output) while writes to it still fail (EBADF).
    static func prepare() {
        signal(SIGPIPE, SIG_IGN)
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            let placeholder = open("/dev/null", O_RDONLY)
            if placeholder >= 0, placeholder != descriptor {
                dup2(placeholder, descriptor)
                close(placeholder)
            }
        }
    }

    /// Writes `text` whole to standard output.
    /// - Throws: ``OutputWriteError`` when standard output is closed, full or a broken pipe.
    static func writeOutput(_ text: String) throws(OutputWriteError) {
        let error = writeAll(text, to: STDOUT_FILENO)
        if error != 0 { throw OutputWriteError(destination: "standard output", code: error) }
    }

    /// Writes `text` to standard error; returns whether all of it was written.
    @discardableResult
    static func writeError(_ text: String) -> Bool {
        writeAll(text, to: STDERR_FILENO) == 0
    }

    /// Writes every byte, retrying short writes and EINTR; the errno that stopped it, or 0.
    static func writeAll(_ text: String, to descriptor: Int32) -> Int32 {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            bytes = bytes.dropFirst(written)
        }
        return 0
    }
}

/// Output could not be written: a closed or full stream, a broken pipe, a failing disk.
struct OutputWriteError: Error, CustomStringConvertible {
    /// `standard output` or the path of an output file.
    var destination: String
    /// The `errno` of the failed write.
    var code: Int32

    var description: String {
        "cannot write to \(destination): \(String(cString: strerror(code)))"
    }
}
