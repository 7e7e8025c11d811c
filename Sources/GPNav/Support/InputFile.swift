import Foundation

/// Reads a file a user names as input (a CSV table, a search space, a token), bounded: only a
/// regular file is read, and only up to ``maximumBytes``, so that a FIFO, a device such as
/// `/dev/zero` or a runaway file gives one line at once instead of blocking or filling memory.
public enum InputFile {
    /// The largest input file read: 256 MiB, far above any table or space gpnav reads.
    public static let maximumBytes = 256 * 1024 * 1024

    /// The bytes of the regular file at `path`.
    /// - Throws: ``InputFileError`` (`notFound` for a missing or unreadable file or a directory,
    ///   `data` for a FIFO, device or socket, or a file larger than `limit`).
    public static func read(_ path: String, limit: Int = maximumBytes) throws(InputFileError) -> Data {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InputFileError(path: path, problem: "no such file", kind: .notFound)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw InputFileError(path: path, problem: "cannot be read (a directory)", kind: .notFound)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw InputFileError(path: path, problem: "not a regular file (a FIFO, device or socket); give a regular file")
        }
        guard Int(info.st_size) <= limit else {
            throw InputFileError(path: path, problem: "\(info.st_size) bytes, more than the \(limit) read", kind: .data)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputFileError(path: path, problem: "cannot be read (no permission?)", kind: .notFound)
        }
        defer { try? handle.close() }
        do {
            // One byte more than the limit: a file that grew since it was measured is refused too.
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            guard data.count <= limit else {
                throw InputFileError(path: path, problem: "more than the \(limit) bytes read", kind: .data)
            }
            return data
        } catch let error as InputFileError {
            throw error
        } catch {
            throw InputFileError(path: path, problem: "cannot be read: \(error.localizedDescription)", kind: .notFound)
        }
    }
}
