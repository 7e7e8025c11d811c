import Foundation

/// Whether this machine has a `/dev/full` that behaves as Linux's does (a character device on which
/// every write fails with ENOSPC). Containers and other systems may lack it or replace it with a
/// plain file, and then the tests that write to it would test nothing true: they are left out.
enum FullDevice {
    static let path = "/dev/full"

    static let isPresent: Bool = {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFCHR else { return false }
        let descriptor = open(path, O_WRONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let byte: [UInt8] = [0]
        return write(descriptor, byte, 1) == -1 && errno == ENOSPC
    }()

    static let reasonIfAbsent = "\(path) is not a character device that fails writes with ENOSPC on this machine"

    /// `redirects` without those that name the device, where it is absent.
    static func onlyIfPresent(_ redirects: [String]) -> [String] {
        isPresent ? redirects : redirects.filter { !$0.contains(path) }
    }
}
